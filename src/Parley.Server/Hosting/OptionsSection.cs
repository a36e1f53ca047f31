using System.Reflection;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>A configuration section and the options type bound from it (<c>Turn</c> and <see cref="Parley.Turn.TurnOptions"/>).</summary>
internal sealed record OptionsSection(string Name, Type Type)
{
    /// <summary>The constant through which an options type names its section.</summary>
    private const string SectionNameConstant = "SectionName";

    /// <summary>
    /// The sections of every options type bound from configuration, in registration order. <c>BindConfiguration</c>
    /// registers an <see cref="IOptionsChangeTokenSource{TOptions}"/> for its type, and each Parley options type names
    /// its section in a <c>public const string SectionName</c>: so a section added later (Auth, Redis) is found without
    /// a list to keep up to date. Options of the framework (logging, Kestrel) name no section and are left alone.
    /// </summary>
    /// <exception cref="InvalidOperationException">A Parley options type is bound but names no section.</exception>
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

            var type = service.GetGenericArguments()[0];
            if (sections.Exists(section => section.Type == type))
            {
                continue;
            }

            if (type.GetField(SectionNameConstant, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string name)
            {
                sections.Add(new(name, type));
            }
            else if (type.Assembly.GetName().Name?.StartsWith("Parley.", StringComparison.Ordinal) == true)
            {
                // A developer's mistake, found at the first start: without the name its keys would go unchecked.
                throw new InvalidOperationException($"{type.Name} is bound from configuration but has no public const string {SectionNameConstant}, which the start-up check of its keys needs.");
            }
        }

        return sections;
    }
}
