namespace Ensemble.Web.Hosting;

/// <summary>
/// The database being brought up to date (migrations, the demo firm, sign-ins) while the server starts:
/// on two cores the two overlap, and nothing that reads the database runs before it is done. Requests,
/// background work and the data protection key ring all wait for it.
/// </summary>
public sealed class Readiness
{
    private readonly TaskCompletionSource _prepared = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the database is ready; faults with the reason it could not be made ready.</summary>
    public Task Prepared => _prepared.Task;

    /// <summary>Runs <paramref name="prepare"/> and records its outcome; a failure stops the app.</summary>
    internal async Task PrepareAsync(Func<Task> prepare, IHostApplicationLifetime lifetime)
    {
        try
        {
            await prepare();
            _prepared.TrySetResult();
        }
        catch (Exception ex)
        {
            _prepared.TrySetException(ex);
            lifetime.StopApplication();
        }
    }

    /// <summary>After the app stopped: rethrows why the database could not be made ready, unless the app was stopped first.</summary>
    internal async Task ReportFailureAsync(Task preparing)
    {
        await preparing;
        if (Prepared.Exception?.InnerException is { } failure && failure is not OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }
}

/// <summary>
/// Holds each request until the database is ready (a no-op once it is). The health check is answered at once
/// instead, with 503 while starting, so a load balancer or a deployment script can poll it.
/// </summary>
internal static class ReadinessGate
{
    public static IApplicationBuilder UseReadinessGate(this IApplicationBuilder app)
    {
        var readiness = app.ApplicationServices.GetRequiredService<Readiness>();
        return app.Use(async (context, next) =>
        {
            if (!readiness.Prepared.IsCompletedSuccessfully)
            {
                if (context.Request.Path.StartsWithSegments("/api/health", StringComparison.OrdinalIgnoreCase))
                {
                    await Results.Problem("Starting: the database is being brought up to date.", statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                    return;
                }

                try
                {
                    await readiness.Prepared.WaitAsync(context.RequestAborted);
                }
                catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }

            await next(context);
        });
    }
}
