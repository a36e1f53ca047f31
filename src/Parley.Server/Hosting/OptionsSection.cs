using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Parley.Access;
using Parley.Compat.LiveKit.Webhooks;
using Parley.Compat.PeerJs;
using Parley.Compat.Tracker;
using Parley.Scale;
using Parley.Signaling;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>A configuration section and the options type bound from it (<c>Turn</c> and <see cref="Parley.Turn.TurnOptions"/>).</summary>
internal sealed record OptionsSection(
    string Name,
    [DynamicallyAccessedMembers(OptionsSection.ReflectedMembers)][property: DynamicallyAccessedMembers(OptionsSection.ReflectedMembers)] Type Type)
{
    /// <summary>What the start-up check reads of an options type: its properties, and its constructor to bind a fresh one.</summary>
    internal const DynamicallyAccessedMemberTypes ReflectedMembers =
        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.Interfaces;

    /// <summary>
    /// Every options type of Parley's, with its section and the check of its values. A list, because the native
    /// binary has no code for a generic method made at run time (<c>MakeGenericMethod</c>) nor the <c>SectionName</c>
    /// constants, which the compiler inlines; <see cref="Find"/> fails the first start of a build that binds a type
    /// missing here, so no section goes unchecked.
    /// </summary>
    private static readonly Known[] KnownSections =
    [
        Of<ServerOptions>(ServerOptions.SectionName),
        Of<TurnOptions>(TurnOptions.SectionName),
        Of<SignalingOptions>(SignalingOptions.SectionName),
        Of<AuthOptions>(AuthOptions.SectionName),
        Of<WebhookOptions>(WebhookOptions.SectionName),
        Of<TrackerOptions>(TrackerOptions.SectionName),
        Of<PeerJsOptions>(PeerJsOptions.SectionName),
        Of<WebOptions>(WebOptions.SectionName),
        Of<RedisOptions>(RedisOptions.SectionName),
    ];

    /// <summary>The values of this section that fail validation, one line each (<see cref="OptionValueProblems"/>).</summary>
    public IReadOnlyList<string> FindValueProblems(IServiceProvider services) =>
        Array.Find(KnownSections, known => known.Section.Type == Type) is { } known
            ? known.FindValueProblems(services, Name)
            : throw new InvalidOperationException($"{Type.Name} is not one of OptionsSection.KnownSections.");

    /// <summary>The options bound from this section, as the server uses them (defaults included).</summary>
    public object Value(IServiceProvider services) =>
        Array.Find(KnownSections, known => known.Section.Type == Type) is { } known
            ? known.Value(services)
            : throw new InvalidOperationException($"{Type.Name} is not one of OptionsSection.KnownSections.");

    /// <summary>
    /// The sections of every options type bound from configuration, in registration order. <c>BindConfiguration</c>
    /// registers an <see cref="IOptionsChangeTokenSource{TOptions}"/> for its type: so a section added later (Redis)
    /// is found. Options of the framework (logging, Kestrel) are left alone.
    /// </summary>
    /// <exception cref="InvalidOperationException">A Parley options type is bound but is not in <see cref="KnownSections"/>.</exception>
    public static IReadOnlyList<OptionsSection> Find(IServiceCollection services)
    {
        var sections = new List<OptionsSection>();
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType is not { IsGenericType: true } service
                || service.GetGenericTypeDefinition() != typeof(IOptionsChangeTokenSource<>))
            {
                continue;
            }

            var type = service.GenericTypeArguments[0];
            if (sections.Exists(section => section.Type == type))
            {
                continue;
            }

            if (Array.Find(KnownSections, known => known.Section.Type == type) is { } known)
            {
                sections.Add(known.Section);
            }
            else if (type.Assembly.GetName().Name?.StartsWith("Parley.", StringComparison.Ordinal) == true)
            {
                // A developer's mistake, found at the first start: without the entry its keys would go unchecked.
                throw new InvalidOperationException($"{type.Name} is bound from configuration but is not in OptionsSection.KnownSections, which the start-up check of its keys needs.");
            }
        }

        return sections;
    }

    private static Known Of<[DynamicallyAccessedMembers(ReflectedMembers)] TOptions>(string name)
        where TOptions : class, new() =>
        new(new OptionsSection(name, typeof(TOptions)), OptionValueProblems.FindFor<TOptions>, static services => services.GetRequiredService<IOptions<TOptions>>().Value);

    private sealed record Known(OptionsSection Section, Func<IServiceProvider, string, IReadOnlyList<string>> FindValueProblems, Func<IServiceProvider, object> Value);
}
