using Microsoft.AspNetCore.Connections.Features;

namespace Parley.Server.Tests.Transport;

/// <summary>The connection is its own feature collection; it must still behave like one to Kestrel and middleware.</summary>
public sealed class LeanConnectionFeatureTests
{
    [Fact]
    public async Task The_socket_feature_gives_the_accepted_socket()
    {
        await using var pair = await LeanPair.ConnectAsync();
        var features = pair.Connection.Features;

        var socket = features.Get<IConnectionSocketFeature>()?.Socket;
        Assert.Same(pair.Connection.Socket, socket);
        Assert.Equal(pair.Peer.LocalEndPoint, socket!.RemoteEndPoint);
        Assert.Equal(pair.Peer.LocalEndPoint, features.Get<IConnectionEndPointFeature>()?.RemoteEndPoint);
        Assert.Equal(pair.Connection.ConnectionId, features.Get<IConnectionIdFeature>()?.ConnectionId);
        Assert.Same(pair.Connection.Transport, features.Get<IConnectionTransportFeature>()?.Transport);
        Assert.Null(features.Get<IExtraFeature>());
    }

    [Fact]
    public async Task Added_and_overridden_features_are_found_listed_once_and_counted_in_the_revision()
    {
        await using var pair = await LeanPair.ConnectAsync();
        var features = pair.Connection.Features;
        var revision = features.Revision;

        var extra = new ExtraFeature();
        features.Set<IExtraFeature>(extra);
        Assert.NotEqual(revision, features.Revision);
        Assert.Same(extra, features.Get<IExtraFeature>());
        Assert.Same(extra, features[typeof(IExtraFeature)]);

        // Replacing one of the connection's own features (as TLS middleware does with others).
        revision = features.Revision;
        var id = new IdFeature { ConnectionId = "override" };
        features.Set<IConnectionIdFeature>(id);
        Assert.NotEqual(revision, features.Revision);
        Assert.Same(id, features.Get<IConnectionIdFeature>());

        // Replacing an added feature keeps one entry.
        var second = new ExtraFeature();
        features[typeof(IExtraFeature)] = second;
        Assert.Same(second, features.Get<IExtraFeature>());

        var listed = features.ToList();
        Assert.Equal(listed.Count, listed.Select(f => f.Key).Distinct().Count());
        Assert.Same(second, Assert.Single(listed, f => f.Key == typeof(IExtraFeature)).Value);
        Assert.Same(id, Assert.Single(listed, f => f.Key == typeof(IConnectionIdFeature)).Value);
        Assert.Same(pair.Connection, Assert.Single(listed, f => f.Key == typeof(IConnectionSocketFeature)).Value);

        // Setting null removes, whether the feature was added or the connection's own.
        features.Set<IExtraFeature>(null);
        features.Set<IConnectionSocketFeature>(null);
        Assert.Null(features.Get<IExtraFeature>());
        Assert.Null(features.Get<IConnectionSocketFeature>());
        Assert.DoesNotContain(features, f => f.Key == typeof(IExtraFeature) || f.Key == typeof(IConnectionSocketFeature));
        Assert.False(features.IsReadOnly);
    }

    [Fact]
    public async Task Features_sharing_one_value_like_Kestrels_four_need_no_array_and_others_still_get_their_own_values()
    {
        await using var pair = await LeanPair.ConnectAsync();
        var features = pair.Connection.Features;
        var kestrel = new Multi();
        features.Set<IFirst>(kestrel);
        features.Set<ISecond>(kestrel);
        features.Set<IThird>(kestrel);
        features.Set<IFourth>(kestrel);
        Assert.Equal(0, pair.Connection.UnsharedFeatureSlots);
        Assert.All(new object?[] { features.Get<IFirst>(), features.Get<ISecond>(), features.Get<IThird>(), features.Get<IFourth>() }, f => Assert.Same(kestrel, f));

        // Another value for one of them, then for another: each keeps its own.
        var other = new Multi();
        features.Set<ISecond>(other);
        features[typeof(IFirst)] = other;
        Assert.Same(other, features.Get<IFirst>());
        Assert.Same(other, features.Get<ISecond>());
        Assert.Same(kestrel, features.Get<IThird>());
        Assert.Same(kestrel, features.Get<IFourth>());

        // Removed, then set back; and the shared value moved on once no feature had it.
        features.Set<IThird>(null);
        features.Set<IFourth>(null);
        Assert.Null(features.Get<IThird>());
        Assert.Null(features.Get<IFourth>());
        features.Set<IThird>(other);
        features.Set<IFourth>(kestrel);
        Assert.Same(other, features.Get<IThird>());
        Assert.Same(kestrel, features.Get<IFourth>());

        var listed = features.ToList();
        Assert.Equal(listed.Count, listed.Select(f => f.Key).Distinct().Count());
        Assert.Same(other, Assert.Single(listed, f => f.Key == typeof(IFirst)).Value);
        Assert.Same(other, Assert.Single(listed, f => f.Key == typeof(ISecond)).Value);
        Assert.Same(other, Assert.Single(listed, f => f.Key == typeof(IThird)).Value);
        Assert.Same(kestrel, Assert.Single(listed, f => f.Key == typeof(IFourth)).Value);
        Assert.Same(pair.Connection, Assert.Single(listed, f => f.Key == typeof(IConnectionSocketFeature)).Value);
    }

    private interface IFirst;

    private interface ISecond;

    private interface IThird;

    private interface IFourth;

    private sealed class Multi : IFirst, ISecond, IThird, IFourth;

    private interface IExtraFeature;

    private sealed class ExtraFeature : IExtraFeature;

    private sealed class IdFeature : IConnectionIdFeature
    {
        public required string ConnectionId { get; set; }
    }
}
