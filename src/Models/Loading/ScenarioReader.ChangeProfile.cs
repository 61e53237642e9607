using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>A data set's <c>change_profile</c>: its change rate by the period of the working day.</summary>
internal sealed partial class ScenarioReader
{
    internal static readonly string[] ChangeProfileKeys = ["business_hours", "nights", "weekends"];

    /// <summary>Reads the optional <c>change_profile</c>; ok is false when something was reported.</summary>
    private (bool Ok, ChangeProfile? Profile) ChangeProfileOf(MapReader parent)
    {
        if (parent.Optional("change_profile") is not { } node)
        {
            return (true, null);
        }

        string path = parent.PathOf("change_profile");
        MapReader? map = Map(node, path, "a change profile: { business_hours: FACTOR, nights: FACTOR, weekends: FACTOR }", ChangeProfileKeys);
        if (map is null)
        {
            return (false, null);
        }

        if (ChangeProfileKeys.All(k => map.Optional(k) is null))
        {
            Ctx.Error(node, path, LoaderMessages.EmptyChangeProfile());
            return (false, null);
        }

        bool ok = true;
        double FactorOf(string key)
        {
            if (map.Optional(key) is null)
            {
                return 1;
            }

            Quoted? factor = Number(map, key, required: false, positive: false);
            if (factor is { } f && f.Value > ReadContext.MaxFactor)
            {
                Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.NumberOutOfRange(f.Text, "a factor of the change rate from 0 to 1,000,000"));
                factor = null;
            }

            ok &= factor is not null;
            return factor?.Value ?? 1;
        }

        var profile = new ChangeProfile(FactorOf("business_hours"), FactorOf("nights"), FactorOf("weekends"));
        return ok ? (true, profile) : (false, null);
    }
}
