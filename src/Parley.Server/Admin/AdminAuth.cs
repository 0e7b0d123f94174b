using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Admin;

/// <summary>
/// Checks the admin token. Both sides are hashed before the constant-time comparison, so neither the
/// content nor the length of the real token can be learnt from response times.
/// </summary>
internal sealed class AdminAuth
{
    public const string CookieName = "parley_admin";

    private readonly byte[] _tokenHash;

    public AdminAuth(string token, bool generated)
    {
        Token = token;
        Generated = generated;
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public string Token { get; }

    /// <summary>True when no token was configured and this one was made up at start-up.</summary>
    public bool Generated { get; }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public bool IsValid(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(_tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>The token from an <c>Authorization: Bearer</c> header, if any.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }
}
