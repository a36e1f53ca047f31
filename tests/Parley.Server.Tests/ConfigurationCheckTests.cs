using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Hosting;
using Parley.Signaling.Hosting;
using Parley.Turn;

namespace Parley.Server.Tests;

/// <summary>The start-up check's parts, on in-memory configuration: which keys are options, and the nearest name.</summary>
public sealed class ConfigurationCheckTests
{
    [Theory]
    [InlineData("SharedSecret", "SharedSecrets")]
    [InlineData("sharedsecret", "SharedSecrets")]
    [InlineData("Prot", "Port")]
    [InlineData("Url", "Urls")]
    [InlineData("Secret", null)]
    [InlineData("Colour", null)]
    public void The_nearest_name_is_a_few_edits_away_or_none(string name, string? nearest) =>
        Assert.Equal(nearest, NearestName.Find(name, ["Port", "TlsPort", "SharedSecrets", "Urls", "Username"]));

    [Fact]
    public void Every_key_the_binder_binds_is_an_option_whatever_its_case_and_depth()
    {
        var configuration = Configuration(new()
        {
            ["Sample:Number"] = "1",
            ["sample:WORDS:0"] = "a",
            ["Sample:Array:1"] = "b",
            ["Sample:Items:0:Name"] = "x",
            ["Sample:Items:0:Tags:0"] = "y",
            ["Sample:Map:anything:Name"] = "z",
            ["Sample:renamed"] = "r",
            ["Sample:Nested:Name"] = "n",
        });

        Assert.Empty(UnknownOptionKeys.Find(configuration, new("Sample", typeof(SampleOptions))));
    }

    [Fact]
    public void Keys_that_bind_to_nothing_are_named_at_every_depth()
    {
        var configuration = Configuration(new()
        {
            ["Sample:Numbr"] = "1",
            ["Sample:Number:Extra"] = "1",
            ["Sample:Items:Name"] = "x",
            ["Sample:Items:0:Nme"] = "x",
            ["Sample:Map:key:Colour"] = "z",
            ["Sample:Original"] = "r",
            ["Sample:Words"] = "one value for a list",
            ["Sample:Nested"] = "one value for an object",
            ["Other:Whatever"] = "not a section of ours",
        });

        Assert.Equal(
            [
                "Sample:Items:0:Nme is not an option; did you mean Sample:Items:0:Name?",
                "Sample:Items:Name is not an option; Sample:Items is a list, numbered from 0 (Sample:Items:0)",
                "Sample:Map:key:Colour is not an option; Sample:Map:key has Name, Tags",
                "Sample:Nested takes no value of its own, only options under it (Sample:Nested:...)",
                "Sample:Number:Extra is not an option; Sample:Number takes a single value",
                "Sample:Numbr is not an option; did you mean Sample:Number?",
                "Sample:Original is not an option; Sample has Number, Words, Array, Items, Map, Nested, renamed",
                "Sample:Words is a list: set Sample:Words:0 (and :1, :2...) instead",
            ],
            UnknownOptionKeys.Find(configuration, new("Sample", typeof(SampleOptions))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_value_on_the_section_itself_is_left_alone_as_an_environment_variable_named_like_it_may_be_someone_elses() =>
        Assert.Empty(UnknownOptionKeys.Find(Configuration(new() { ["SAMPLE"] = "x" }), new("Sample", typeof(SampleOptions))));

    [Fact]
    public void The_sections_checked_are_found_from_the_options_types_the_features_bind()
    {
        var builder = WebApplication.CreateBuilder();
        builder.UseParleyInlineScheduling();
        builder.Services.AddParleyTurn();
        builder.Services.AddParleySignaling();

        Assert.Equal(
            [new("Server", typeof(ServerOptions)), new("Turn", typeof(TurnOptions)), new("Signaling", typeof(Parley.Signaling.SignalingOptions))],
            OptionsSection.Find(builder.Services));
    }

    [Fact]
    public void A_parley_options_type_bound_without_an_entry_in_the_known_sections_is_a_mistake_found_at_start()
    {
        var services = new ServiceCollection();
        services.AddOptions<SampleOptions>().BindConfiguration("Sample");

        var error = Assert.Throws<InvalidOperationException>(() => OptionsSection.Find(services));
        Assert.StartsWith("SampleOptions is bound from configuration but is not in OptionsSection.KnownSections", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosted_by_a_test_an_unknown_key_is_thrown_with_its_line()
    {
        var error = Assert.ThrowsAny<Exception>(() => new ParleyServer(new() { ["Turn:SharedSecret"] = "0123456789abcdef0123" }).Dispose());

        Assert.Equal("Turn:SharedSecret is not an option; did you mean Turn:SharedSecrets?", error.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed class SampleOptions
    {
        public int Number { get; set; }

        public IList<string> Words { get; } = [];

        public string[] Array { get; set; } = [];

        public List<SampleItem> Items { get; set; } = [];

        public Dictionary<string, SampleItem> Map { get; set; } = [];

        public SampleItem Nested { get; set; } = new();

        [ConfigurationKeyName("renamed")]
        public string? Original { get; set; }
    }

    private sealed class SampleItem
    {
        public string? Name { get; set; }

        public List<string> Tags { get; set; } = [];
    }
}
