namespace Parley.Protocol;

/// <summary>The <c>code</c> values of JSON <c>error</c> messages. Stable: clients match on them.</summary>
public static class ErrorCodes
{
    public const string InvalidUsername = "invalid_username";
    public const string UsernameTaken = "username_taken";
    public const string NotJoined = "not_joined";
    public const string AlreadyJoined = "already_joined";
    public const string UnknownUser = "unknown_user";
    public const string UnknownCommand = "unknown_command";
    public const string UnknownType = "unknown_type";
    public const string InvalidJson = "invalid_json";
    public const string InvalidField = "invalid_field";
    public const string MissingField = "missing_field";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string LineTooLong = "line_too_long";
    public const string EmptyMessage = "empty_message";
    public const string InvalidColor = "invalid_color";
    public const string RateLimited = "rate_limited";
    public const string ServerFull = "server_full";
    public const string LoginTimeout = "login_timeout";
    public const string Usage = "usage";
    public const string JoinRejected = "join_rejected";
    public const string AwaitingApproval = "awaiting_approval";
    public const string FileTooLarge = "file_too_large";
    public const string QuotaExceeded = "quota_exceeded";
    public const string TooManyUploads = "too_many_uploads";
    public const string InvalidFile = "invalid_file";
    public const string FilesDisabled = "files_disabled";
    public const string Muted = "muted";
    public const string LineTimeout = "line_timeout";
    public const string TooManyConnections = "too_many_connections";
    public const string InvalidRoom = "invalid_room";
    public const string UnknownRoom = "unknown_room";
    public const string NotInRoom = "not_in_room";
    public const string NotInvited = "not_invited";
    public const string TooManyRooms = "too_many_rooms";
    public const string NotPermitted = "not_permitted";
    public const string PasswordRequired = "password_required";
    public const string WrongPassword = "wrong_password";
    public const string TooManyAttempts = "too_many_attempts";
    public const string AccountRequired = "account_required";
    public const string AlreadyRegistered = "already_registered";
    public const string NotRegistered = "not_registered";
    public const string WeakPassword = "weak_password";
    public const string Banned = "banned";
    public const string StoreFailed = "store_failed";
}
