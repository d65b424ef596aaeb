using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using AidTracker.Api.Common;
using AidTracker.Api.Http;

namespace AidTracker.Api.WeaponSystems;

public sealed record WeaponSystemResponse(
    string Id, string Name, [property: ComponentSchema(WeaponCategories.SchemaId)] string Category, string? SipriCategory, string? UnrocaCategory, string? Description,
    [property: Description(WeaponSystemIds.AliasesDescription)] IReadOnlyList<string> Aliases);

public sealed record WeaponSystemList(IReadOnlyList<WeaponSystemResponse> Items);

/// <summary>
/// The body of <c>POST /weapon-systems</c> and <c>PUT /weapon-systems/{id}</c>. The aliases came after the rest: a
/// body without them (an older client's) keeps, on PUT, what is stored; null or [] clears them.
/// </summary>
public sealed record WeaponSystemRequest(
    [property: Required] string? Id,
    [property: Required] string? Name,
    [property: Required, ComponentSchema(WeaponCategories.SchemaId)] string? Category,
    string? SipriCategory,
    string? UnrocaCategory,
    string? Description)
{
    [Description(WeaponSystemIds.AliasesDescription + " " + Common.Aliases.Rule + " Absent: none on POST, what is stored on PUT; null or [] clears them."), MaxLength(Common.Aliases.MaxCount)]
    public IReadOnlyList<string>? Aliases { get; init { field = value; AliasesGiven = true; } }

    /// <summary>Whether the body holds aliases, null or not.</summary>
    internal bool AliasesGiven { get; private set; }
}

/// <summary>AidTracker's own taxonomy of weapon systems.</summary>
public static class WeaponCategories
{
    /// <summary>The component schema of <see cref="All"/>, which category properties reference (ComponentSchemaAttribute).</summary>
    public const string SchemaId = "WeaponCategory";

    public static readonly WireNames All = new(
    [
        "anti-tank", "manpads", "air-defence", "artillery", "rocket-artillery", "rocket-launcher", "small-arms", "ammunition",
        "armoured-vehicle", "tank", "aircraft", "helicopter", "drone", "naval", "equipment", "other",
    ]) { SchemaId = WeaponCategories.SchemaId };

    /// <summary>SIPRI Arms Transfers Database weapon categories (major conventional weapons only).</summary>
    public static readonly WireNames Sipri = new(
    [
        "Aircraft", "Air defence systems", "Anti-submarine warfare weapons", "Armoured vehicles", "Artillery", "Engines",
        "Missiles", "Naval weapons", "Satellites", "Sensors", "Ships", "Other",
    ]);

    /// <summary>UN Register of Conventional Arms categories I to VII, VII(b) for MANPADS, VIII for small arms and light weapons.</summary>
    public static readonly WireNames Unroca = new(["I", "II", "III", "IV", "V", "VI", "VII", "VII(b)", "VIII"]);
}

/// <summary>Ids are lower-case slugs; lookups accept any case.</summary>
public static class WeaponSystemIds
{
    /// <summary>What an id can be, in any case: a new entry's is checked against it, so no other text names one.</summary>
    public const string Pattern = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$";

    public const int MaxLength = 64;

    public const string AliasesDescription = "Designations, plurals and local names that name the system in text (\"Stingers\", \"FIM-92\"); q finds them.";

    public static string Normalize(string id) => id.ToLowerInvariant();
}
