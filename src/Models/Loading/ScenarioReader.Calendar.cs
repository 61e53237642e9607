using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Time of the working week: the calendar (business hours, holidays, response), maintenance schedules and active months.</summary>
internal sealed partial class ScenarioReader
{
    private WorkCalendar? CalendarOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "the people's calendar: business_days, business_hours, holidays, response", CalendarKeys);
        if (map is null)
        {
            return null;
        }

        bool ok = true;
        var days = ImmutableArray.Create(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday);
        if (map.Optional("business_days") is { } daysNode)
        {
            YamlSequenceNode? list = Sequence(daysNode, map.PathOf("business_days"), "weekdays, e.g. [mon, tue, wed, thu, fri]");
            var builder = ImmutableArray.CreateBuilder<DayOfWeek>();
            for (int i = 0; list is not null && i < list.Children.Count; i++)
            {
                if (WeekdayOf(list.Children[i], ScenarioNodes.Item(map.PathOf("business_days"), i)) is { } d)
                {
                    builder.Add(d);
                }
                else
                {
                    ok = false;
                }
            }

            ok &= list is not null;
            days = builder.ToImmutable();
        }

        TimeSpan from = TimeSpan.FromHours(8);
        TimeSpan to = TimeSpan.FromHours(18);
        if (map.Optional("business_hours") is { } hoursNode)
        {
            string? text = Text(hoursNode, map.PathOf("business_hours"), "business hours as HH:MM-HH:MM, e.g. 08:00-18:00");
            string[] parts = text?.Split('-') ?? [];
            if (parts.Length != 2 || !TryTime(parts[0], out from) || !TryTime(parts[1], out to) || to <= from)
            {
                if (text is not null)
                {
                    Ctx.Error(hoursNode, map.PathOf("business_hours"), LoaderMessages.InvalidBusinessHours(text));
                }

                ok = false;
            }
        }

        var holidays = ImmutableArray.CreateBuilder<DateTime>();
        if (map.Optional("holidays") is { } holidaysNode && Sequence(holidaysNode, map.PathOf("holidays"), "dates, e.g. [2026-12-25]") is { } hl)
        {
            for (int i = 0; i < hl.Children.Count; i++)
            {
                if (Date(hl.Children[i], ScenarioNodes.Item(map.PathOf("holidays"), i)) is { } d)
                {
                    holidays.Add(d.Date);
                }
                else
                {
                    ok = false;
                }
            }
        }

        MapReader? response = map.Required("response") is { } r ? Map(r, map.PathOf("response"), "response times: { business_hours, nights, weekends }", ResponseKeys) : null;
        Distribution? business = response is null ? null : Distribution(response, "business_hours", required: true);
        Distribution? nights = response is null ? null : Distribution(response, "nights", required: true);
        Distribution? weekends = response is null ? null : Distribution(response, "weekends", required: true);
        bool? takeOver = Flag(map, "business_hours_take_over");
        return ok && business is not null && nights is not null && weekends is not null && takeOver is not null
            ? new WorkCalendar(days, from, to, holidays.ToImmutable(), business, nights, weekends) { BusinessHoursTakeOver = takeOver.Value }
            : null;
    }

    private static bool TryTime(string text, out TimeSpan time) =>
        TimeSpan.TryParseExact(text.Trim(), ["hh\\:mm", "h\\:mm"], System.Globalization.CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);

    private DayOfWeek? WeekdayOf(YamlNode node, string path) => Choice(node, path, Weekdays) switch
    {
        "mon" => DayOfWeek.Monday,
        "tue" => DayOfWeek.Tuesday,
        "wed" => DayOfWeek.Wednesday,
        "thu" => DayOfWeek.Thursday,
        "fri" => DayOfWeek.Friday,
        "sat" => DayOfWeek.Saturday,
        "sun" => DayOfWeek.Sunday,
        _ => null,
    };

    private MaintenanceSchedule? ScheduleOf(YamlNode node, string path, ImmutableArray<int> months)
    {
        MapReader? map = Map(node, path, "a schedule: { every: day|week|month|year, month: mar, day: 15, week: 1-5, weekday: tue, at: HH:MM } or { dates: [2026-03-14 02:00, ...] }", ScheduleKeys);
        if (map is null)
        {
            return null;
        }

        if (map.Optional("dates") is { } datesNode)
        {
            return DatesSchedule(map, datesNode, months);
        }

        string? every = map.Required("every") is { } e ? Choice(e, map.PathOf("every"), Recurrences) : null;
        int? month = every == "year" ? (map.Required("month") is { } m ? MonthOf(m, map.PathOf("month")) : null) : 0;
        long? day = every == "year" && map.Optional("day") is { } dayNode ? Integer(dayNode, map.PathOf("day"), 1, 31) : 0;
        bool byWeekday = every is "week" or "month" || (every == "year" && map.Optional("day") is null);
        DayOfWeek? weekday = byWeekday
            ? (map.Required("weekday") is { } wd ? WeekdayOf(wd, map.PathOf("weekday")) : null)
            : DayOfWeek.Monday;
        long? week = every is "month" or "year" && byWeekday ? (map.Required("week") is { } wk ? Integer(wk, map.PathOf("week"), 1, 5) : null) : 1;
        bool keysOk = OnlyFor(map, "day", every == "year", "every: year")
            & OnlyFor(map, "month", every == "year", "every: year")
            & OnlyFor(map, "week", every is "month" or "year" && byWeekday, "every: month, or every: year without day")
            & OnlyFor(map, "weekday", byWeekday, "every: week, every: month, or every: year without day");
        (bool atOk, TimeSpan at) = TimeOfDay(map);
        if (month is > 0 && day is > 0 && day > DateTime.DaysInMonth(2024, month.Value))
        {
            Ctx.Error(map.Optional("day")!, map.PathOf("day"), LoaderMessages.NoSuchDay(day.Value, MonthNames[month.Value - 1]));
            day = null;
        }

        Recurrence? recurrence = every switch
        {
            "day" => Recurrence.Daily,
            "week" => Recurrence.Weekly,
            "month" => Recurrence.Monthly,
            "year" => Recurrence.Yearly,
            _ => null,
        };
        return recurrence is not null && weekday is not null && week is not null && month is not null && day is not null && atOk && keysOk
            ? new MaintenanceSchedule(recurrence.Value, weekday.Value, (int)week.Value, at) { Month = month.Value, DayOfMonth = (int)day.Value, Months = months }
            : null;
    }

    /// <summary>An explicit list of window starts: nothing else may go with it.</summary>
    private MaintenanceSchedule? DatesSchedule(MapReader map, YamlNode datesNode, ImmutableArray<int> months)
    {
        bool ok = true;
        foreach (string key in map.PresentKeys.Where(k => k != "dates"))
        {
            Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.NotWithDates(key));
            ok = false;
        }

        string path = map.PathOf("dates");
        var dates = ImmutableArray.CreateBuilder<DateTime>();
        if (Sequence(datesNode, path, "window starts, e.g. [2026-03-14 02:00, 2026-09-12 02:00]") is not { } list)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(datesNode, path, LoaderMessages.EmptyGroup("dates"));
            return null;
        }

        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Date(list.Children[i], ScenarioNodes.Item(path, i)) is { } d)
            {
                dates.Add(d);
            }
        }

        return ok && dates.Count == list.Children.Count
            ? new MaintenanceSchedule(Recurrence.Dates, DayOfWeek.Monday, 1, TimeSpan.Zero) { Dates = dates.ToImmutable(), Months = months }
            : null;
    }

    private bool OnlyFor(MapReader map, string key, bool allowed, string rule)
    {
        if (allowed || map.Optional(key) is not { } node)
        {
            return true;
        }

        Ctx.Error(node, map.PathOf(key), LoaderMessages.ScheduleKeyOnlyFor(key, rule));
        return false;
    }

    private (bool Ok, TimeSpan At) TimeOfDay(MapReader map)
    {
        if (map.Optional("at") is not { } atNode)
        {
            return (true, TimeSpan.Zero);
        }

        string? text = Text(atNode, map.PathOf("at"), "a time of day, HH:MM");
        TimeSpan at = TimeSpan.Zero;
        bool ok = text is not null && TryTime(text, out at);
        if (text is not null && !ok)
        {
            Ctx.Error(atNode, map.PathOf("at"), LoaderMessages.InvalidTimeOfDay(text));
        }

        return (ok, ok ? at : TimeSpan.Zero);
    }

    /// <summary>A month as 1-12 or jan-dec.</summary>
    private int? MonthOf(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return Integer(node, path, 1, 12) is { } number ? (int)number : null;
        }

        return Choice(node, path, MonthNames) is { } name ? Array.IndexOf(MonthNames, name) + 1 : null;
    }

    private ImmutableArray<int> ActiveMonths(MapReader map)
    {
        if (map.Optional("active_months") is not { } node)
        {
            return [];
        }

        string path = map.PathOf("active_months");
        YamlSequenceNode? list = Sequence(node, path, "months 1 to 12, e.g. [6, 7, 8, 9, 10, 11]");
        if (list is null || list.Children.Count == 0)
        {
            if (list is not null)
            {
                Ctx.Error(node, path, LoaderMessages.EmptyGroup("active_months"));
            }

            return [];
        }

        var months = ImmutableArray.CreateBuilder<int>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Integer(list.Children[i], ScenarioNodes.Item(path, i), 1, 12) is { } m)
            {
                months.Add((int)m);
            }
        }

        return months.Count == list.Children.Count ? months.ToImmutable() : [];
    }
}
