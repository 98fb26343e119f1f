using Ensemble.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ensemble.Web.Tests.Hosting;

/// <summary>While the database is being prepared, requests wait for it and the health check says so at once.</summary>
public sealed class ReadinessGateTests
{
    [Fact]
    public async Task WhileStarting_TheHealthCheckAnswers503AtOnce()
    {
        var (gate, _, _) = Gate();
        var context = Request("/api/health");

        await gate(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    [Fact]
    public async Task WhileStarting_ARequestWaits_AndGoesOnOnceTheDatabaseIsReady()
    {
        var (gate, readiness, lifetime) = Gate();
        var ready = new TaskCompletionSource();
        var preparing = readiness.PrepareAsync(() => ready.Task, lifetime);
        var context = Request("/api/tasks/mine");

        var serving = gate(context);
        await Task.Delay(50);
        Assert.False(serving.IsCompleted);

        ready.SetResult();
        await preparing;
        await serving;

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.True(context.Items.ContainsKey(Reached));
        Assert.False(lifetime.Stopped);
    }

    [Fact]
    public async Task WhenTheDatabaseCannotBeMadeReady_WaitingRequestsGet503_AndTheAppStops()
    {
        var (gate, readiness, lifetime) = Gate();
        var failing = new TaskCompletionSource();
        var preparing = readiness.PrepareAsync(() => failing.Task, lifetime);
        var context = Request("/households");

        var serving = gate(context);
        failing.SetException(new InvalidOperationException("The database is unreachable."));
        await preparing;
        await serving;

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.False(context.Items.ContainsKey(Reached));
        Assert.True(lifetime.Stopped);
        var reported = await Assert.ThrowsAsync<InvalidOperationException>(() => readiness.ReportFailureAsync(preparing));
        Assert.Equal("The database is unreachable.", reported.Message);
    }

    private const string Reached = "reached";

    // The gate in front of an endpoint that marks the request and answers 200.
    private static (RequestDelegate Gate, Readiness Readiness, FakeLifetime Lifetime) Gate()
    {
        var readiness = new Readiness();
        var services = new ServiceCollection().AddSingleton(readiness).AddProblemDetails().AddLogging().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseReadinessGate();
        app.Run(context =>
        {
            context.Items[Reached] = true;
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        return (app.Build(), readiness, new FakeLifetime());
    }

    private static DefaultHttpContext Request(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddProblemDetails().AddLogging().BuildServiceProvider();
        return context;
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
