using System.Net;
using System.Text.Json;

namespace Ensemble.Web.Tests.Testing;

/// <summary>Reading the API's answers.</summary>
public static class Json
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the status, showing the body when it differs, and returns the body as JSON.</summary>
    public static async Task<JsonElement> ExpectAsync(this Task<HttpResponseMessage> sending, HttpStatusCode status)
    {
        using var response = await sending;
        return await response.ExpectAsync(status);
    }

    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer (RFC 9457) with the given status and returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>An id as the API writes it: a number, or a typed id written as <c>{"value": n}</c>.</summary>
    public static long Id(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Number ? element.GetInt64() : element.GetProperty("value").GetInt64();
}
