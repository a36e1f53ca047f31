using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace Parley.Server.Hosting;

/// <summary>
/// Finds configuration keys in an options section that bind to nothing: the configuration binder ignores them
/// without a word, so <c>Turn:SharedSecret</c> (coturn's name) would leave Parley on a random secret. Keys are
/// compared as the binder does, ignoring case, whichever source set them (appsettings.json, <c>Turn__SharedSecret</c>,
/// <c>--Turn:SharedSecret</c>); the walk follows the options type into objects, lists and dictionaries, so
/// <c>Signaling:IceServers:0:Usernme</c> is found too.
/// </summary>
internal static class UnknownOptionKeys
{
    /// <summary>Why the walk is safe in the native binary, where members nobody references are trimmed away.</summary>
    private const string Walks = "The walk reads Parley's options types, which the native build keeps whole (TrimmerRootAssembly in Parley.Server.csproj), and the framework's collection and value types their properties use; the native smoke test checks an unknown key.";

    /// <summary>One line per unknown key: <c>Turn:SharedSecret is not an option; did you mean Turn:SharedSecrets?</c></summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration, OptionsSection section)
    {
        var problems = new List<string>();
        Check(configuration.GetSection(section.Name), section.Type, problems, nested: false);
        return problems;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = Walks)]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = Walks)]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = Walks)]
    private static void Check(IConfigurationSection section, Type type, List<string> problems, bool nested = true)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object) || typeof(IConfiguration).IsAssignableFrom(type))
        {
            return; // takes any shape
        }

        if (!IsSingleValue(type) && nested && !string.IsNullOrEmpty(section.Value))
        {
            // The binder drops a value given to a list or an object (--Turn:SharedSecrets=..., as coturn takes one
            // secret) without a word. Not checked on the section itself: an environment variable named SERVER is not ours.
            problems.Add(ElementType(type) is not null && DictionaryValueType(type) is null
                ? $"{section.Path} is a list: set {section.Path}:0 (and :1, :2...) instead"
                : $"{section.Path} takes no value of its own, only options under it ({section.Path}:...)");
        }

        if (IsSingleValue(type))
        {
            foreach (var child in section.GetChildren())
            {
                problems.Add($"{child.Path} is not an option; {section.Path} takes a single value");
            }
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, valueType, problems);
            }
        }
        else if (ElementType(type) is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                // The binder would take any key as one more item; a name here is a level left out (IceServers:Urls:0).
                if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Check(child, elementType, problems);
                }
                else
                {
                    problems.Add($"{child.Path} is not an option; {section.Path} is a list, numbered from 0 ({section.Path}:0)");
                }
            }
        }
        else
        {
            var properties = Properties(type);
            foreach (var child in section.GetChildren())
            {
                if (properties.TryGetValue(child.Key, out var property))
                {
                    Check(child, property.PropertyType, problems);
                }
                else
                {
                    problems.Add(NotAnOption(section, child, properties.Keys));
                }
            }
        }
    }

    private static string NotAnOption(IConfigurationSection section, IConfigurationSection child, IEnumerable<string> names)
    {
        if (NearestName.Find(child.Key, names) is { } nearest)
        {
            return $"{child.Path} is not an option; did you mean {ConfigurationPath.Combine(section.Path, nearest)}?";
        }

        return names.Any() ? $"{child.Path} is not an option; {section.Path} has {string.Join(", ", names)}" : $"{child.Path} is not an option";
    }

    /// <summary>The keys the binder binds to a type's properties, in declaration order: public, readable, not indexers.</summary>
    internal static Dictionary<string, PropertyInfo> Properties([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true })
            {
                properties.TryAdd(KeyOf(property), property);
            }
        }

        return properties;
    }

    /// <summary>The configuration key of a property: its name, or the one <see cref="ConfigurationKeyNameAttribute"/> gives it.</summary>
    internal static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    // As the binder decides: a type a string converts to is one value (numbers, bool, TimeSpan, enums, Uri).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Walks)]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = Walks)]
    private static bool IsSingleValue(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary ? dictionary.GetGenericArguments()[1]
        : GenericInterface(type, typeof(IReadOnlyDictionary<,>)) is { } readOnly ? readOnly.GetGenericArguments()[1]
        : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Walks)]
    private static Type? GenericInterface(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : Array.Find(type.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
