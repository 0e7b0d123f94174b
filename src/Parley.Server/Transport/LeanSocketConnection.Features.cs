using System.Collections;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Transport;

// The connection is its own feature collection: the features it implements answer from its fields, and
// the few that Kestrel and middleware add (four per connection for Kestrel's bookkeeping, more with TLS)
// live in a small array instead of a dictionary per connection.
internal sealed partial class LeanSocketConnection : IFeatureCollection, IConnectionSocketFeature, IConnectionIdFeature,
    IConnectionTransportFeature, IConnectionItemsFeature, IConnectionEndPointFeature, IConnectionLifetimeFeature
{
    private KeyValuePair<Type, object?>[]? _added;
    private int _addedCount;
    private int _revision;

    public override IFeatureCollection Features => this;

    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _revision;

    EndPoint? IConnectionEndPointFeature.LocalEndPoint
    {
        get => LocalEndPoint;
        set => LocalEndPoint = value;
    }

    EndPoint? IConnectionEndPointFeature.RemoteEndPoint
    {
        get => RemoteEndPoint;
        set => RemoteEndPoint = value;
    }

    object? IFeatureCollection.this[Type key]
    {
        get => Find(key);
        set => Put(key, value);
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)Find(typeof(TFeature));

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => Put(typeof(TFeature), instance);

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        foreach (var own in OwnFeatures)
        {
            if (IndexOfAdded(own) < 0)
            {
                yield return new KeyValuePair<Type, object>(own, this);
            }
        }

        for (var i = 0; i < _addedCount; i++)
        {
            if (_added![i].Value is { } value)
            {
                yield return new KeyValuePair<Type, object>(_added[i].Key, value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();

    private static readonly Type[] OwnFeatures =
    [
        typeof(IConnectionSocketFeature), typeof(IConnectionIdFeature), typeof(IConnectionTransportFeature),
        typeof(IConnectionItemsFeature), typeof(IConnectionEndPointFeature), typeof(IConnectionLifetimeFeature),
    ];

    private object? Find(Type key)
    {
        var index = IndexOfAdded(key);
        if (index >= 0)
        {
            return _added![index].Value;
        }

        return Array.IndexOf(OwnFeatures, key) >= 0 ? this : null;
    }

    private void Put(Type key, object? value)
    {
        _revision++;
        var index = IndexOfAdded(key);
        if (index >= 0)
        {
            _added![index] = new KeyValuePair<Type, object?>(key, value);
            return;
        }

        if (_added is null || _addedCount == _added.Length)
        {
            Array.Resize(ref _added, _added is null ? 4 : _added.Length * 2);
        }

        _added[_addedCount++] = new KeyValuePair<Type, object?>(key, value);
    }

    private int IndexOfAdded(Type key)
    {
        for (var i = 0; i < _addedCount; i++)
        {
            if (_added![i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }
}
