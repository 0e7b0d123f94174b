namespace Parley.Server.Admin;

/// <summary>What an operator action did, with the HTTP status the API answers with.</summary>
internal sealed record AdminResult(int StatusCode, string Message)
{
    public bool Ok => StatusCode < 300;

    public static AdminResult Done(string message) => new(200, message);

    public static AdminResult Invalid(string message) => new(400, message);

    public static AdminResult NotFound(string message) => new(404, message);
}
