using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Parley.Server;

/// <summary>
/// The server's certificate: from PEM files, or for development a self-signed one created on first
/// start and kept in the data directory (tls-selfsigned.pem, key readable by the owner only), so its
/// fingerprint stays the same across restarts and clients can pin it.
/// </summary>
internal static class TlsCertificates
{
    public const string SelfSignedFile = "tls-selfsigned.pem";

    public static X509Certificate2 Load(ServerOptions options, ILogger logger)
    {
        if (options.TlsCertificatePath is { } certPath)
        {
            var certificate = X509Certificate2.CreateFromPemFile(certPath, options.TlsKeyPath);
            logger.LogInformation("TLS certificate {Subject} from {Path}, valid until {NotAfter:yyyy-MM-dd}, SHA-256 fingerprint {Fingerprint}", certificate.Subject, certPath, certificate.NotAfter, Fingerprint(certificate));
            return certificate;
        }

        var path = Path.Combine(options.DataDirectory, SelfSignedFile);
        if (File.Exists(path))
        {
            try
            {
                var existing = X509Certificate2.CreateFromPemFile(path, path);
                if (existing.NotAfter > DateTime.Now.AddDays(7))
                {
                    logger.LogWarning("TLS: using the self-signed development certificate {Path}; clients need --insecure. SHA-256 fingerprint {Fingerprint}", path, Fingerprint(existing));
                    return existing;
                }
            }
            catch (CryptographicException ex)
            {
                logger.LogWarning("TLS: {Path} is unreadable ({Error}); making a new self-signed certificate", path, ex.Message);
            }
        }

        var created = CreateSelfSigned();
        try
        {
            var pem = created.ExportCertificatePem() + "\n" + created.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n";
            File.WriteAllText(path, pem);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogWarning("TLS: created a self-signed development certificate in {Path}; clients need --insecure. SHA-256 fingerprint {Fingerprint}", path, Fingerprint(created));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("TLS: cannot store the self-signed certificate in {Path} ({Error}); using it for this run only. SHA-256 fingerprint {Fingerprint}", path, ex.Message, Fingerprint(created));
        }

        return created;
    }

    /// <summary>The SHA-256 of the DER certificate as colon-separated hex: what `openssl x509 -fingerprint -sha256` prints.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Parley development (self-signed)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        // Round-trip through PEM so the key is usable by SslStream on every platform.
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
