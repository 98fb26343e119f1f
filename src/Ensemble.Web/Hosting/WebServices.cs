using System.Threading.RateLimiting;
using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Web.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Ensemble.Web.Hosting;

/// <summary>The app's services: storage per request, sign-in, access, limits.</summary>
internal static class WebServices
{
    public const string SignInLimit = "sign-in";

    public static IServiceCollection AddEnsembleWeb(this IServiceCollection services, EnsembleSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<Readiness>();
        services.AddSingleton(settings.Clock);
        // One context per request, rented from a pool: building a fresh one costs more than a cheap read.
        // Made by the container, so the container disposes it (and closes the connections it keeps open).
        services.AddSingleton(_ => new ContextPool(settings.Database));
        services.AddScoped(provider => provider.GetRequiredService<ContextPool>().Rent(settings.Clock));
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddScoped<CurrentCaller>();
        services.AddDataProtection().SetApplicationName("Ensemble");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRepository(settings, provider.GetRequiredService<Readiness>())));

        services.AddIdentityCore<UserAccount>(options =>
            {
                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789-._";
            })
            .AddUserStore<UserAccountStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();

        // Cookies for people, bearer tokens for integrations; the request picks which.
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = "ensemble";
                options.DefaultChallengeScheme = "ensemble";
            })
            .AddPolicyScheme("ensemble", "Cookie or API token", options =>
                options.ForwardDefaultSelector = context => ApiTokenAuthentication.Carries(context.Request) ? ApiTokenAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(options =>
            {
                options.Cookie.Name = "ensemble.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;

                // Secure whenever the request is HTTPS (production runs behind TLS); the loopback demo is plain HTTP.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/sign-in";
                options.LogoutPath = "/sign-out";
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
            }));
        services.AddAuthorization();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-CSRF-TOKEN";
            options.Cookie.Name = "ensemble.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts count: showing the sign-in page is free.
            options.AddPolicy(SignInLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("view"));
        });

        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddRazorPages();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            options.SerializerOptions.Converters.Add(new TypedIdConverter());
            options.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        });
        return services;
    }

    /// <summary>
    /// Drops the framework's read of the data protection key ring while the host starts: it would hold the server
    /// until the database is ready. The ring then loads on the first request that needs it, behind the readiness
    /// gate. Called last, because several registrations (cookies, antiforgery) add that read again.
    /// </summary>
    public static IServiceCollection WithoutKeyRingPreload(this IServiceCollection services)
    {
        var preload = services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(IHostedService)
            && descriptor.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (preload is not null)
        {
            services.Remove(preload);
        }

        return services;
    }

    /// <summary>Kestrel refuses bodies over 1 MB (413): nothing Ensemble accepts is larger, template files included.</summary>
    public const long MaxBodyBytes = 1024 * 1024;
}
