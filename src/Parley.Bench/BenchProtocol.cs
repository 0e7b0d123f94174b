namespace Parley.Bench;

/// <summary>The wire mode the generated clients speak (Parley sniffs it from the first byte).</summary>
public enum BenchProtocol
{
    Text,
    Json,
}
