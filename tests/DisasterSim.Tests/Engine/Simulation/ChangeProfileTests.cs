using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Engine.Simulation.Overlaps;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>A change rate that follows the working day: the GB of a loss weigh each lost hour by when it was written.</summary>
public sealed class ChangeProfileTests
{
    // 2024-01-01 is a Monday; business hours are Monday to Friday 08:00-18:00 without a calendar.
    private static readonly ChangeProfile Profile = new(1, 0.1, 0.05);

    private static Scenario Load(string ttf, string threat = "")
    {
        string yaml = $$"""
            name: profile
            simulation: { horizon: 1y, start: 2024-01-01 }
            regions: [{ name: r1 }]
            sites: [{ name: hq, region: r1 }]
            components: [{ name: san, site: hq, kind: storage{{(ttf.Length > 0 ? $", failure: {{ time_to_failure: {ttf}, time_to_repair: 30m, effect: destroyed }}" : "")}} }]
            services: [{ name: app, site: hq, requires: [san], recovery: { detection: 0s } }]
            data:
              - name: db
                service: app
                storage: san
                size_gb: 100
                change_rate_gb_per_hour: 1
                change_profile: { business_hours: 1, nights: 0.1, weekends: 0.05 }
                backups: [{ name: nightly, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 1000000, setup: 0s } }]
            {{threat}}
            """;
        var result = ScenarioLoader.Parse(yaml, "profile.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Scenario!;
    }

    [Fact]
    public void Integral_FollowsBusinessHoursNightsAndWeekends()
    {
        var volume = new ChangeVolume(Profile, null, new DateTime(2024, 1, 1));

        // Monday 00:00-24:00: 8 h and 6 h of night, 10 h of business; Saturday and Sunday: 48 h of weekend.
        Assert.Equal((14 * 0.1) + 10, volume.Integral(0, 24), 9);
        Assert.Equal(48 * 0.05, volume.Integral(5 * 24, 7 * 24), 9);
        Assert.Equal(0.5 + (2 * 0.1), volume.Integral(17.5, 20), 9);
        Assert.Equal(0, volume.Integral(3, 3));
    }

    [Fact]
    public void Integral_FollowsTheScenarioCalendar()
    {
        // Business 09:00-17:00 on Monday to Saturday, with Tuesday 2 January a holiday.
        var calendar = new WorkCalendar(
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday],
            TimeSpan.FromHours(9), TimeSpan.FromHours(17), [new DateTime(2024, 1, 2)], Distribution.Fixed(0), Distribution.Fixed(0), Distribution.Fixed(0));
        var volume = new ChangeVolume(Profile, calendar, new DateTime(2024, 1, 1, 6, 0, 0));

        Assert.Equal((3 * 0.1) + 8 + (7 * 0.1), volume.Integral(0, 18), 9);
        Assert.Equal(24 * 0.05, volume.Integral(18, 42), 9);
        Assert.Equal((9 * 0.1) + 8 + (7 * 0.1), volume.Integral(4 * 24 + 18, 5 * 24 + 18), 9);
    }

    [Fact]
    public void PositionLog_Volume_WeighsEachPositionByWhenItWasWritten()
    {
        // Written 0-10 h (positions 0-10), down 10-12 h, written 12-20 h (positions 10-18), rewound at 20 h to position 5,
        // written 20-30 h (positions 5-15). Positions 2-15 today: 2-5 written at 02:00-05:00 (night), 5-15 at 20:00-06:00
        // (night): 1.3 hours at the full rate. The business hours of 12-18 h were taken back by the rewind.
        var log = new PositionLog();
        log.Reset();
        log.SetWriting(10, false);
        log.SetWriting(12, true);
        log.Rewind(20, 5);
        var volume = new ChangeVolume(Profile, null, new DateTime(2024, 1, 1));

        Assert.Equal(15, log.Live(30), 9);
        Assert.Equal(1.3, log.Volume(2, 15, 30, volume), 9);
        // Before hour 0 position p was written at hour p: positions -1.5 to 0 late on Sunday (weekend), 0 to 2 at night.
        Assert.Equal(1.3 + (2 * 0.1) + (1.5 * 0.05), log.Volume(-1.5, 15, 30, volume), 9);
    }

    [Theory]
    [InlineData("22h", 22, 8 * 0.1 + 10 + 4 * 0.1)]
    [InlineData("142h", 22, 22 * 0.05)]
    public void Loss_OfADay_WeighsItsHoursByThePeriod(string ttf, double hours, double gb)
    {
        // The array is destroyed at 22:00 on Monday (or on Saturday); the restore goes back to that day's 00:00 backup:
        // 22 h of changes lost, weighing 8 h of night, 10 h of business and 4 h of night (or 22 h of weekend) at 1 GB/h.
        var trial = OneTrial.Run(Load(ttf));

        var loss = trial.Losses[0];
        Assert.Equal(hours, loss.LossHours, 9);
        Assert.Equal(gb, loss.LossGb, 9);
    }

    [Fact]
    public void Loss_AfterARestore_CountsOnlyWhatWasWrittenSince()
    {
        // Back at 22.5 h (restored at once), destroyed again 22 h later at 44.5 h (Tuesday 20:30): the Tuesday 00:00
        // backup holds what was written since the first restore; lost: Tuesday 00:00-20:30, 10.5 h of night and 10 of business.
        var trial = OneTrial.Run(Load("22h"));

        Assert.Equal(20.5, trial.Losses[1].LossHours, 6);
        Assert.Equal((10.5 * 0.1) + 10, trial.Losses[1].LossGb, 6);
    }

    [Fact]
    public void Loss_AtRandomTimes_MatchesTheWeeklyAverage()
    {
        // A destruction at a uniform time of the week, the last backup at that day's 00:00: lost ∫₀ˣ f(u) du for an arrival
        // at hour x. Averaged over the day, ∫₀²⁴ f(u)(24 − u) du / 24: a weekday (160 + 18) × 0.1 + 110 over 24, a weekend
        // day 12 × 0.05; over the week (5 × 5.325 + 2 × 0.6) / 7 = 3.975 GB, against 12 GB at a flat rate.
        var scenario = Load("", "threats: [{ name: fire, kind: fire, rate_per_year: 1, scope: { component: san }, effect: destroyed, rebuild: 1m }]");
        scenario = scenario with { Simulation = scenario.Simulation with { HorizonHours = 10 * 8766 } };

        var result = MonteCarloRunner.Run(scenario, new RunOptions(2000, 11, 1));

        var gb = result.DataLosses.Select(l => l.LossGb).ToList();
        double mean = gb.Average();
        double sd = Math.Sqrt(gb.Sum(v => (v - mean) * (v - mean)) / (gb.Count - 1));
        double half = 2.576 * sd / Math.Sqrt(gb.Count);
        Assert.True(gb.Count > 15000);
        Assert.True(Math.Abs(mean - 3.975) <= half, $"mean {mean} of {gb.Count}; expected 3.975 ± {half}");
        Assert.InRange(result.DataLosses.Average(l => l.LossHours), 11.8, 12.2);
    }
}
