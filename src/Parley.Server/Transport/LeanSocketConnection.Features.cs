using System.Collections;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Transport;

// The connection is its own feature collection: the features it implements answer from its fields. Those
// that Kestrel and middleware add cost no storage of their own while they share one value: Kestrel adds four
// to every connection, and all four are its KestrelConnection (one of the four types is internal to Kestrel,
// so it cannot be given a field). That value is held once, with a bit per feature type set to it; the types
// are numbered process-wide in the order first seen (a handful). A feature with another value, a removal,
// or a type past the 32nd goes into a small array.
internal sealed partial class LeanSocketConnection : IFeatureCollection, IConnectionSocketFeature, IConnectionIdFeature,
    IConnectionTransportFeature, IConnectionItemsFeature, IConnectionEndPointFeature, IConnectionLifetimeFeature
{
    private const int SharedTypes = 32;

    private static readonly Lock s_numberingGate = new();
    private static Type[] s_numbering = [];

    private object? _shared;
    private uint _sharedBits;
    private KeyValuePair<Type, object?>[]? _added;
    private int _addedCount;
    private int _revision;

    public override IFeatureCollection Features => this;

    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _revision;

    /// <summary>Slots of the array for features that do not share the one value (for tests).</summary>
    internal int UnsharedFeatureSlots => _added?.Length ?? 0;

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
            if (!IsShared(own) && IndexOfAdded(own) < 0)
            {
                yield return new KeyValuePair<Type, object>(own, this);
            }
        }

        if (_sharedBits != 0)
        {
            var numbering = Volatile.Read(ref s_numbering);
            for (var bit = 0; bit < SharedTypes; bit++)
            {
                if ((_sharedBits & (1u << bit)) != 0)
                {
                    yield return new KeyValuePair<Type, object>(numbering[bit], _shared!);
                }
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
        if (IsShared(key))
        {
            return _shared;
        }

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
        var bit = NumberOf(key, add: value is not null);
        if (bit >= 0)
        {
            _sharedBits &= ~(1u << bit);
            if (value is not null && (_sharedBits == 0 || ReferenceEquals(_shared, value)))
            {
                _shared = value;
                _sharedBits |= 1u << bit;
                if (index >= 0)
                {
                    RemoveAdded(index);
                }

                return;
            }

            if (_sharedBits == 0)
            {
                _shared = null;
            }
        }

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

    private bool IsShared(Type key)
    {
        if (_sharedBits == 0)
        {
            return false;
        }

        var bit = NumberOf(key, add: false);
        return bit >= 0 && (_sharedBits & (1u << bit)) != 0;
    }

    // The type's bit, numbering it if it is new and add is set; -1 when it has none.
    private static int NumberOf(Type key, bool add)
    {
        var number = Array.IndexOf(Volatile.Read(ref s_numbering), key);
        if (number < 0 && add)
        {
            lock (s_numberingGate)
            {
                number = Array.IndexOf(s_numbering, key);
                if (number < 0 && s_numbering.Length < SharedTypes)
                {
                    number = s_numbering.Length;
                    Volatile.Write(ref s_numbering, [.. s_numbering, key]);
                }
            }
        }

        return number < SharedTypes ? number : -1;
    }

    private void RemoveAdded(int index)
    {
        _addedCount--;
        Array.Copy(_added!, index + 1, _added!, index, _addedCount - index);
        _added![_addedCount] = default;
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
