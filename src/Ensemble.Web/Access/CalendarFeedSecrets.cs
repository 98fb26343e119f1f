using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Ensemble.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Caching.Memory;

namespace Ensemble.Web.Access;

/// <summary>
/// The secret in a calendar feed's address. Calendar clients send no cookie and no header, so the address
/// itself is the credential: an HMAC-SHA256 of the staff id, truncated to 160 bits, under a key derived
/// (HKDF) from the oldest live key of the app's Data Protection key ring. That ring is kept in the firm's
/// database, so every web node computes the same secret and it survives restarts and key rotation
/// (rotation adds keys; the oldest stays). Revoking that key in the ring changes every feed address.
/// </summary>
public sealed class CalendarFeedSecrets(IKeyManager keys, IDataProtectionProvider protection, IMemoryCache cache)
{
    private const string Purpose = "Ensemble.CalendarFeed.v1";
    private const int SecretBytes = 20;

    /// <summary>Built from the app's services (it holds no state of its own beyond the shared cache).</summary>
    public static CalendarFeedSecrets From(IServiceProvider services) => new(
        services.GetRequiredService<IKeyManager>(), services.GetRequiredService<IDataProtectionProvider>(), services.GetRequiredService<IMemoryCache>());

    /// <summary>The secret for a person's feed address (27 URL-safe characters).</summary>
    public string For(StaffId staffId)
    {
        var mac = HMACSHA256.HashData(Key(), Encoding.UTF8.GetBytes($"staff:{staffId.Value}"));
        return Base64Url.EncodeToString(mac.AsSpan(0, SecretBytes));
    }

    /// <summary>Whether <paramref name="secret"/> is the person's, compared in constant time.</summary>
    public bool Verify(StaffId staffId, string? secret) =>
        !string.IsNullOrEmpty(secret)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(For(staffId)), Encoding.UTF8.GetBytes(secret));

    /// <summary>The feed's address: https://host/feeds/{handle}/{secret}.ics.</summary>
    public string Address(HttpRequest request, string handle, StaffId staffId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/feeds/{Uri.EscapeDataString(handle)}/{For(staffId)}.ics";

    private byte[] Key() => cache.GetOrCreate("calendar-feed:key", entry =>
    {
        // Re-derived hourly so a revoked key stops working without a restart.
        entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1);
        return Derive();
    })!;

    private byte[] Derive()
    {
        var material = OldestKeyMaterial();
        if (material is null)
        {
            // A fresh ring has no key until something is protected; protecting creates (and stores) one.
            protection.CreateProtector(Purpose).Protect([0]);
            material = OldestKeyMaterial() ?? throw new InvalidOperationException("The Data Protection key ring has no usable key.");
        }

        return HKDF.DeriveKey(HashAlgorithmName.SHA256, material.Value.Secret, 32, material.Value.Salt, Encoding.UTF8.GetBytes(Purpose));
    }

    private (byte[] Secret, byte[] Salt)? OldestKeyMaterial()
    {
        foreach (var key in keys.GetAllKeys().Where(k => !k.IsRevoked).OrderBy(k => k.CreationDate).ThenBy(k => k.KeyId))
        {
            XElement descriptor;
            try
            {
                descriptor = key.Descriptor.ExportToXml().SerializedDescriptorElement;
            }
            catch (CryptographicException)
            {
                // A key this node cannot read (e.g. encrypted with a certificate it lacks): try the next.
                continue;
            }

            // The built-in descriptors hold the key as <masterKey><value>base64</value></masterKey>.
            var value = descriptor.Descendants("masterKey").Elements("value").FirstOrDefault()?.Value;
            var secret = value is not null ? Convert.FromBase64String(value) : Encoding.UTF8.GetBytes(descriptor.ToString(SaveOptions.DisableFormatting));
            return (secret, key.KeyId.ToByteArray());
        }

        return null;
    }
}
