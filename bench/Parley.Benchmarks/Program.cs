using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Parley.Benchmarks;

// A short job (1 launch, 3 warm-ups, 8 measured iterations) keeps `--filter '*'` to a few minutes;
// pass BenchmarkDotNet's own options (e.g. --job default) for tighter intervals.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).WithId("Short"))
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args, config);
