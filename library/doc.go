// Package library keeps the account's music as a local index: a SQLite
// database (modernc.org/sqlite, pure Go) with an FTS5 full-text index, filled
// by a scan of pCloud's folders and kept fresh by pCloud's change feed
// (`diff`).
//
// Use:
//
//	lib, err := library.Open(filepath.Join(stateDir, "library.db"), library.Options{})
//	if msg := lib.Notice(); msg != "" { show(msg) } // e.g. a damaged index was rebuilt
//	err = lib.Scan(ctx, client, library.ScanOptions{Folders: cfg.LibraryFolders, Progress: report})
//	go lib.Follow(ctx, client, library.FollowOptions{Changed: refresh})
//	artists, _ := lib.Artists(ctx)
//	albums, _ := lib.Albums(ctx, "Björk")       // "" for all albums
//	tracks, _ := lib.AlbumTracks(ctx, albums[0]) // disc, track number, name
//	songs, _ := lib.Songs(ctx, 0, 200)          // a page of all songs
//	hits, _ := lib.Search(ctx, "beyonce hal", 100)
//	under, _ := lib.TracksUnder(ctx, "/Music/Björk") // as the Folders view shows them
//	_ = lib.SetDuration(ctx, fileID, hash, d)  // learnt while streaming
//
// What it owns:
//
//   - The scan ([Library.Scan]): the account's root is listed plainly,
//     every folder below it recursively (pCloud refuses a recursive root
//     listing since April 2026); a folder whose recursive listing fails
//     (5000 on huge trees, the ~40-level depth abort) is listed plainly and
//     its children queued. A few listings run at once. A listing is read
//     as a stream ([api.ListOptions.Visit]) and written in transactions of
//     at most 2,000 entries, never held whole (a first scan of 100,000
//     tracks peaks under 30 MB); a folder is marked listed in the
//     transaction of its listing's last entries, so a cancelled scan
//     resumes where it stopped. Once a scan has finished, Scan costs one
//     `diff` call: only the changes since are applied (pages of at most
//     1,000 events).
//
//   - The change feed ([Library.Follow]): a long-polling `diff` (block=1)
//     applies created, modified, moved and deleted files and folders;
//     `reset`, or a history too old, leads to a full rescan.
//
//   - Tags: pCloud's artist/album/title/genre/trackno, completed from the
//     path where missing (see [Infer]; below the library folders,
//     [InferIn]: a library folder is never a tag); the album artist is the common
//     artist of an album folder, else [VariousArtists].
//
//   - Queries: [Library.Artists] (by album artist), [Library.Albums],
//     [Library.AlbumTracks], [Library.Songs], [Library.Search] (FTS5, words
//     in any order, prefixes, diacritics folded, ranked),
//     [Library.TracksUnder], and durations learnt while playing. Names are
//     sorted in internal/order's one order (case and accents folded,
//     numbers by value: [order.Compare]), by sort keys stored with each
//     track; an index whose keys an older pcplay wrote gets them worked out
//     again when the writer opens it, without a scan.
//
//   - Size (issue 22: ~36 MB per 100,000 tracks, was 105; a full scan ends
//     by packing it, VACUUM; statement journals stay in memory, which
//     took a first scan's writes from 2.4 GB to 0.28 GB): a track's path
//     is its folder's (kept once per folder) and its name; its album
//     folder is a folder id; a tag the same as the value shown is NULL;
//     albums (artist, track count) are kept once per album folder and
//     name, which the Artists and Albums lists read; the FTS5 index keeps
//     no positions (detail=none): search ranks in Go. An index of an older
//     schema (version 4) is changed in place as it opens, without a scan.
//
//   - Keeping ([Keeper]): the index's one writer runs [Keeper.Run] for as
//     long as it lives (the scan, resumed; then the change feed;
//     [Keeper.Rescan] by hand: a mark and sweep over the index as it is,
//     see [Library.Rescan]), records durations ([Keeper.Played], and
//     [Keeper.Measure]'s background measuring of an album's) and publishes
//     a [State] (progress, a generation) that the engine sends to its UIs.
//     [OpenReader] opens the index read only beside that writer;
//     [Library.Reload] drops its cached lists when the generation moves.
//
// [Library] is safe for concurrent use; writes are serialised. Of pcplay
// it imports api and internal/order only: never ui, engine or config.
package library
