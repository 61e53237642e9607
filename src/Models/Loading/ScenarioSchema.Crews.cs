using System.Text.Json.Nodes;

namespace DisasterSim.Models.Loading;

/// <summary>The schema of <c>crews</c>.</summary>
public static partial class ScenarioSchema
{
    private static JsonNode? Crew(string key) => key switch
    {
        "name" => Text("Unique among crews."),
        "size" => Integer(1, "How many members work at once."),
        "skills" => Nullable(new JsonObject
        {
            ["description"] = "The work its members do (default [failover, restore]).",
            ["type"] = "array",
            ["items"] = Choice(ScenarioReader.CrewSkillNames, "A kind of manual work."),
        }),
        "restore_work" => Choice(ScenarioReader.RestoreWorkChoices, "whole: a restore keeps its member to the end (default); setup: only for its setup."),
        "absent" => Object(ScenarioReader.AbsentKeys, "absence", k => k switch
        {
            "days_per_year" => Number(0, "Each member's mean days away a year, drawn in blocks."),
            "block" => Ref("duration", "Length of one absence, whole days (default 1d; 1w for whole weeks)."),
            "dates" => Nullable(new JsonObject
            {
                ["description"] = "Days every member is away: dates, or { from, to } spans.",
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(
                        new JsonObject { ["type"] = "string" },
                        Object(ScenarioReader.DateSpanKeys, "span of days", d => Text(d == "from" ? "First day away." : "Last day away."), "from", "to")),
                },
            }),
            _ => null,
        }),
        _ => null,
    };
}
