namespace CctvEdge.Server.Storage;

/// <summary>
/// What saving a named thing (a camera group, a notification channel or rule) did. Names are unique whatever their
/// case, so a second "Barn" is refused rather than shadowing the first.
/// </summary>
internal enum SaveOutcome
{
    Saved,
    NameTaken,
    NotFound,
}
