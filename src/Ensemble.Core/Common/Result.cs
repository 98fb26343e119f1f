namespace Ensemble.Common;

/// <summary>Why an expected operation did not happen. Mapped to exit codes and HTTP statuses in one place at the edges.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>The thing changed since the caller read it (a version they named no longer holds).</summary>
    Stale,
}

/// <summary>An expected failure: a kind and a sentence a user can act on.</summary>
public sealed record Error(ErrorKind Kind, string Message)
{
    public static Error Invalid(string message) => new(ErrorKind.Invalid, message);
    public static Error NotFound(string message) => new(ErrorKind.NotFound, message);
    public static Error Conflict(string message) => new(ErrorKind.Conflict, message);
    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static Error Stale(string message) => new(ErrorKind.Stale, message);

    public override string ToString() => Message;
}

/// <summary>The outcome of an operation that may fail for expected reasons.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"No value: {Error.Message}");

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>A success; needed where T is an interface, which implicit conversions cannot take.</summary>
    public static Result<T> Success(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);

    public TOut Match<TOut>(Func<T, TOut> success, Func<Error, TOut> failure) =>
        Error is null ? success(_value!) : failure(Error);
}
