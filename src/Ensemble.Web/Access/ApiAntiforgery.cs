using Microsoft.AspNetCore.Antiforgery;

namespace Ensemble.Web.Access;

/// <summary>
/// A state-changing API call made with the browser's session cookie must carry the anti-forgery token in the
/// X-CSRF-TOKEN header; calls with an API token carry no ambient credential and need none.
/// </summary>
internal sealed class ApiAntiforgery(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery)
    {
        var request = context.Request;
        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (changes && AccessMiddleware.IsApi(context) && !ApiTokenAuthentication.Carries(request) && !await antiforgery.IsRequestValidAsync(context))
        {
            await Results.Problem(detail: "The anti-forgery token is missing or invalid; reload the page and try again.", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
