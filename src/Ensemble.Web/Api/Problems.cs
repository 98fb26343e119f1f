using Ensemble.Common;

namespace Ensemble.Web.Api;

/// <summary>Turns expected failures into ProblemDetails with the status a client can act on.</summary>
internal static class Problems
{
    public static IResult From(Error error) => error.Kind switch
    {
        ErrorKind.NotFound => Results.Problem(detail: error.Message, statusCode: StatusCodes.Status404NotFound),
        ErrorKind.Conflict => Results.Problem(detail: error.Message, statusCode: StatusCodes.Status409Conflict),
        ErrorKind.Forbidden => Results.Problem(detail: error.Message, statusCode: StatusCodes.Status403Forbidden),
        ErrorKind.Stale => Results.Problem(detail: error.Message, statusCode: StatusCodes.Status412PreconditionFailed),
        _ => Results.Problem(detail: error.Message, statusCode: StatusCodes.Status400BadRequest),
    };

    /// <summary>A 400 naming each field at fault.</summary>
    public static IResult Invalid(params (string Field, string Message)[] errors) =>
        Results.ValidationProblem(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    public static IResult Of<T>(Result<T> result, Func<T, IResult> ok) => result.IsSuccess ? ok(result.Value) : From(result.Error!);
}
