using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Binds and validates an options section as <c>ValidateOnStart</c> would, but collects every failure as one line
/// that names the option (<c>The field Signaling:MaxParticipantsPerRoom must be between 2 and 256.</c>) instead of
/// throwing them together in an exception.
/// </summary>
internal static class OptionValueProblems
{
    public static IReadOnlyList<string> Find(IServiceProvider services, OptionsSection section) => section.FindValueProblems(services);

    /// <summary>The problems of one section, for <see cref="OptionsSection"/>'s list of known types.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Data annotations read the options type's own properties, which the native build keeps (TrimmerRootAssembly in Parley.Server.csproj).")]
    internal static IReadOnlyList<string> FindFor<[DynamicallyAccessedMembers(OptionsSection.ReflectedMembers)] TOptions>(IServiceProvider services, string sectionName)
        where TOptions : class, new()
    {
        // What OptionsFactory<TOptions>.Create does before it validates: configure (the binding), then post-configure.
        var options = new TOptions();
        try
        {
            foreach (var setup in services.GetServices<IConfigureOptions<TOptions>>())
            {
                if (setup is IConfigureNamedOptions<TOptions> named)
                {
                    named.Configure(Options.DefaultName, options);
                }
                else
                {
                    setup.Configure(options);
                }
            }

            foreach (var setup in services.GetServices<IPostConfigureOptions<TOptions>>())
            {
                setup.PostConfigure(Options.DefaultName, options);
            }
        }
        catch (InvalidOperationException error)
        {
            // The binder, for a value that does not convert: "Failed to convert configuration value at 'Turn:Port' to
            // type 'System.Int32'." The rest of the section is then half bound, so validating it would mislead.
            return [error.Message];
        }

        var problems = new List<string>();
        foreach (var validator in services.GetServices<IValidateOptions<TOptions>>())
        {
            if (validator is DataAnnotationValidateOptions<TOptions> && AnnotationProblems(options, sectionName) is { Count: > 0 } annotations)
            {
                problems.AddRange(annotations);
                continue;
            }

            // Anything the per-property pass cannot see (class-level attributes) still comes through, in the framework's words.
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed)
            {
                problems.AddRange(result.Failures ?? [result.FailureMessage]);
            }
        }

        return problems;
    }

    /// <summary>
    /// The data annotations of each property, checked with the option's full key as its display name, which the
    /// attributes' messages quote: <c>The field Turn:Port must be between 1 and 65535.</c>
    /// </summary>
    [RequiresUnreferencedCode("Validates the properties of the options type by reflection.")]
    private static List<string> AnnotationProblems<[DynamicallyAccessedMembers(OptionsSection.ReflectedMembers)] TOptions>(TOptions options, string sectionName)
        where TOptions : class
    {
        var results = new List<ValidationResult>();
        foreach (var property in UnknownOptionKeys.Properties(typeof(TOptions)).Values)
        {
            var context = new ValidationContext(options, ConfigurationPath.Combine(sectionName, UnknownOptionKeys.KeyOf(property)), null, null)
            {
                MemberName = property.Name,
            };
            Validator.TryValidateProperty(property.GetValue(options), context, results);
        }

        return results.ConvertAll(result => result.ErrorMessage ?? $"{string.Join(", ", result.MemberNames)} is not valid.");
    }
}
