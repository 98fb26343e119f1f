using System.Security.Cryptography;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Web.Api;

/// <summary>
/// A POST with an Idempotency-Key is done once per caller and key: a retry gets the first answer again and
/// changes nothing. The key is claimed before the work runs, so two copies racing cannot both do it.
/// </summary>
internal sealed class Idempotency(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, CurrentCaller callers, EnsembleDb db, IClock clock)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || !AccessMiddleware.IsApi(context) || string.IsNullOrEmpty(key))
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            await Results.Problem(detail: $"{Header} can be at most 200 characters.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        var caller = await callers.GetAsync(context.RequestAborted);
        if (caller is null)
        {
            await next(context);
            return;
        }

        var fingerprint = await FingerprintAsync(context.Request);
        var earlier = await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller.Handle && r.Key == key, context.RequestAborted);
        if (earlier is not null)
        {
            await ReplayAsync(context, earlier, fingerprint);
            return;
        }

        var claim = new IdempotentRequest { Caller = caller.Handle, Key = key, Fingerprint = fingerprint, CreatedAt = clock.GetCurrentInstant() };
        db.IdempotentRequests.Add(claim);
        try
        {
            await db.SaveChangesAsync(context.RequestAborted);
        }
        catch (DbUpdateException)
        {
            await Results.Problem(detail: "The same request is already being processed; retry in a moment.", statusCode: StatusCodes.Status409Conflict).ExecuteAsync(context);
            return;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await ForgetAsync(db, claim);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.StatusCode >= 500)
        {
            await ForgetAsync(db, claim);
        }
        else
        {
            claim.StatusCode = context.Response.StatusCode;
            claim.ContentType = context.Response.ContentType;
            claim.Body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            db.ChangeTracker.Clear();
            db.IdempotentRequests.Update(claim);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentRequest earlier, string fingerprint)
    {
        if (earlier.Fingerprint != fingerprint)
        {
            await Results.Problem(detail: $"This {Header} was used for a different request.", statusCode: StatusCodes.Status422UnprocessableEntity).ExecuteAsync(context);
            return;
        }

        if (earlier.StatusCode == 0)
        {
            await Results.Problem(detail: "The same request is still being processed; retry in a moment.", statusCode: StatusCodes.Status409Conflict).ExecuteAsync(context);
            return;
        }

        context.Response.StatusCode = earlier.StatusCode;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (earlier.ContentType is not null)
        {
            context.Response.ContentType = earlier.ContentType;
        }

        await context.Response.WriteAsync(earlier.Body ?? "", context.RequestAborted);
    }

    private static async Task ForgetAsync(EnsembleDb db, IdempotentRequest claim)
    {
        db.ChangeTracker.Clear();
        await db.IdempotentRequests.Where(r => r.Caller == claim.Caller && r.Key == claim.Key).ExecuteDeleteAsync(CancellationToken.None);
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        var hash = await SHA256.HashDataAsync(request.Body);
        request.Body.Position = 0;
        return $"{request.Method} {request.Path} {Convert.ToHexStringLower(hash)}";
    }
}
