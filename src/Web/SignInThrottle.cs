using System.Net;
using System.Net.Sockets;

namespace Confide.Web;

/// <summary>
/// Failed sign-in attempts counted in memory, per client address (IPv6 grouped by its /64, which one
/// household or host usually holds) and per email typed (whether or not it names an account), each
/// over a sliding <see cref="Window"/>. Once either count reaches its limit, sign-in from that address
/// or for that email is refused without checking the password, with the same message and the same
/// password-hash work as any failure, so nothing tells whether the account exists or is locked.
/// Bounded: at most <see cref="MaxKeys"/> keys are held (expired ones are pruned first, then the
/// oldest). Configuration <c>Confide:SignInFailuresPerAddress</c> (default 20) and
/// <c>Confide:SignInFailuresPerAccount</c> (default 10) per 15 minutes. Nothing is written to the
/// database (the portal's failures table is another matter).
/// </summary>
public sealed class SignInThrottle(TimeProvider time, int perAddress, int perAccount)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public const int MaxKeys = 50_000;
    public const string PerAddressKey = "Confide:SignInFailuresPerAddress";
    public const string PerAccountKey = "Confide:SignInFailuresPerAccount";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">A limit that is not a whole number of at least 1; the message names the key.</exception>
    public static SignInThrottle From(IConfiguration configuration, TimeProvider time) =>
        new(time, Limit(configuration, PerAddressKey, 20), Limit(configuration, PerAccountKey, 10));

    /// <summary>The address's group: an IPv4 address itself (IPv4-mapped IPv6 too), an IPv6 address's first 64 bits.</summary>
    public static string AddressGroup(IPAddress? address)
    {
        if (address is null)
        {
            return "none";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>True when sign-in from <paramref name="address"/> or for <paramref name="email"/> must be refused now.</summary>
    public bool IsBlocked(IPAddress? address, string email)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return Count(AddressKey(address), now) >= perAddress || Count(AccountKey(email), now) >= perAccount;
        }
    }

    /// <summary>Counts one failed attempt against the address and the email.</summary>
    public void Failed(IPAddress? address, string email)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_failures.Count >= MaxKeys)
            {
                Prune(now);
            }
            Add(AddressKey(address), now, perAddress);
            Add(AccountKey(email), now, perAccount);
        }
    }

    private static string AddressKey(IPAddress? address) => "a:" + AddressGroup(address);

    private static string AccountKey(string email) => "e:" + email.Trim().ToUpperInvariant();

    private int Count(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return 0;
        }
        while (queue.Count > 0 && now - queue.Peek() >= Window)
        {
            queue.Dequeue();
        }
        return queue.Count;
    }

    private void Add(string key, DateTimeOffset now, int limit)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            _failures[key] = queue = new Queue<DateTimeOffset>();
        }
        queue.Enqueue(now);
        while (queue.Count > limit)
        {
            queue.Dequeue(); // only the last `limit` matter: memory per key stays bounded
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _failures.Keys.ToList())
        {
            if (Count(key, now) == 0)
            {
                _failures.Remove(key);
            }
        }
        // Still full (an attack from very many addresses): forget the keys whose last failure is oldest.
        var excess = _failures.Count - (MaxKeys * 3 / 4);
        if (excess > 0)
        {
            foreach (var key in _failures.OrderBy(p => p.Value.Last()).Take(excess).Select(p => p.Key).ToList())
            {
                _failures.Remove(key);
            }
        }
    }

    private static int Limit(IConfiguration configuration, string key, int fallback)
    {
        if (configuration[key] is not { Length: > 0 } text)
        {
            return fallback;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new InvalidOperationException($"Configuration key {key} is '{text}': expected a whole number of at least 1.");
    }
}
