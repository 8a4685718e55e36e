// Package api is a client for pCloud's HTTP JSON API, as far as pcplay uses
// it: the three ways in (sign in on another device: [NewSignIn] and
// [Client.WaitSignIn], an OAuth long poll; password and two-factor login by
// [Client.Login] and [Client.TFALogin], with userinfo as the fallback and
// [*PasswordsRefused] where pCloud takes no passwords; a pasted token:
// [Client.ProbeToken]) and [Client.Logout]; user info; folder listings by id
// or path ([Client.ListFolder], [Client.ListFolderWith], [Client.ListPath],
// and [DecodeMetadata] for a listing kept on disk); the change feed
// ([Client.Diff]); audio stream links and file links ([Client.AudioLink],
// [Client.FileLink]); and collections, pCloud's playlists
// ([Client.Collections], [Client.CollectionDetails],
// [Client.CreateCollection], [Client.LinkFiles] and the rest).
//
// Every call takes a context, retries what is worth retrying (pCloud's 5xxx,
// HTTP 429/5xx, network failures) a bounded number of times with jittered
// back-off, and returns an [*Error] carrying pCloud's result code and
// message. [Error.Sentence] (or [Sentence] for any error) explains a failure
// to a person; [IsAuth], [IsRateLimit], [IsRetryable], [IsNameTaken] and
// [IsCollectionMethod] classify it.
//
// Requests are sent as POST forms (the token as auth=, or as an
// Authorization: Bearer header for OAuth tokens), so no secret sits in a URL;
// every error text and log line is passed through [Redact] as well.
//
// Accounts live in one of two regions ([RegionUS], [RegionEU]). When a login
// or the first authenticated call is refused with 2000/2094, the client
// tries the other region once and, if that works, stays there (see
// [Client.Region]).
package api
