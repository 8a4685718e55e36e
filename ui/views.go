package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// view is one of the main views: the list left of the queue (or instead of
// it on a narrow terminal). The number keys switch between them, in the
// order of viewKinds: 1 Folders, 2 Artists, 3 Albums, 4 Songs,
// 5 Playlists, 6 History. Another view is a type that implements view and a line in
// viewKinds; a view that lists tracks marks the playing one with
// env.trackIcon / env.isPlaying, plays with Replace so that the queue
// becomes its list, and answers A with a pickPlaylistMsg (see
// playlists.go and libpane.go).
type view interface {
	// start makes the first load; the top model calls it once the person
	// is logged in and the view is first shown.
	start() tea.Cmd
	// update handles the view's own messages (listings, ...); it is given
	// every message that is not a key.
	update(msg tea.Msg) tea.Cmd
	// updateKey handles a key of the view (page is the rows of a page);
	// handled is false for a key it does not know.
	updateKey(k tea.KeyPressMsg, page int) (cmd tea.Cmd, handled bool)
	// list is the list that has the cursor and the filter.
	list() *list
	// keyMap is the view's keys, for the help overlay.
	keyMap() viewKeyMap
	// view draws the view in w×h cells; narrow adds the tab hint.
	view(w, h int, focused, narrow bool) []string
}

// viewKeyMap is the keys every view has, beyond moving the cursor.
type viewKeyMap struct {
	listKeyMap
	Open, Parent, Add, Refresh key.Binding
}

func newViewKeys(k KeyMap) viewKeyMap {
	return viewKeyMap{listKeyMap: newListKeys(k), Open: k.Open, Parent: k.Parent, Add: k.Add, Refresh: k.Refresh}
}

// viewKinds are the views in the order of their number keys.
var viewKinds = []struct {
	key  string
	name string
	make func(e *env, k KeyMap, f filterInput) view
}{
	{"1", "Folders", func(e *env, k KeyMap, f filterInput) view { return newBrowser(e, k, f) }},
	{"2", "Artists", func(e *env, k KeyMap, f filterInput) view { return newArtists(e, k, f) }},
	{"3", "Albums", func(e *env, k KeyMap, f filterInput) view { return newAlbums(e, k, f) }},
	{"4", "Songs", func(e *env, k KeyMap, f filterInput) view { return newSongs(e, k, f) }},
	{"5", "Playlists", func(e *env, k KeyMap, f filterInput) view { return newPlaylistsView(e, k, f) }},
	{"6", "History", func(e *env, k KeyMap, f filterInput) view { return newHistoryView(e, k, f) }},
}

// viewsHelp is the number keys as the help lists them: three views a line
// ("1-3  Folders, Artists, Albums"), not a line each.
func viewsHelp() []key.Binding {
	var out []key.Binding
	for i := 0; i < len(viewKinds); i += 3 {
		vs := viewKinds[i:min(i+3, len(viewKinds))]
		keys, names := []string{}, []string{}
		for _, v := range vs {
			keys, names = append(keys, v.key), append(names, v.name)
		}
		k := keys[0]
		if len(keys) > 1 {
			k += "-" + keys[len(keys)-1]
		}
		out = append(out, key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, strings.Join(names, ", "))))
	}
	return out
}

// switchKeys are the number keys, one per view kind.
func switchKeys() []key.Binding {
	out := make([]key.Binding, len(viewKinds))
	for i, v := range viewKinds {
		out[i] = newBinding(v.key, v.name, v.key)
	}
	return out
}
