using System.Net;

namespace Ensemble.Web.Hosting;

/// <summary>A plain page for refusals and missing things outside the API, in the app's look.</summary>
internal static class ErrorPage
{
    public const string MessageKey = "ensemble:error";

    public static Task WriteAsync(HttpContext context, int status, string? message)
    {
        var title = status switch
        {
            StatusCodes.Status403Forbidden => "Not yours to see",
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status429TooManyRequests => "Too many attempts",
            _ => "Something went wrong",
        };
        context.Response.ContentType = "text/html; charset=utf-8";
        var body = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Ensemble</title><link rel="stylesheet" href="/app.css"></head>
            <body><main class="page narrow"><h1>{title}</h1><p role="alert">{WebUtility.HtmlEncode(message ?? "")}</p>
            <p><a href="/">Back to my work</a></p></main></body></html>
            """;
        return context.Response.WriteAsync(body);
    }
}
