// Package art draws a cover picture in a terminal and finds out how the
// terminal can draw one.
//
// The drawing: [Blocks] (half blocks, ▀ with a foreground and a background
// colour, truecolor or 256 colours: plain styled text, which every terminal
// shows, mosh and tmux included), [KittyDirect] and [KittyPlaceholder] (the
// kitty graphics protocol, placed at the cursor, or as Unicode placeholder
// cells that live in a tmux pane like text), [Sixel] and [ITerm2] (inline
// images). Each takes a decoded image and a size in terminal cells.
//
// The asking: [Query] is what to write to the terminal; [ParseAnswers] reads
// what it wrote back (the kitty graphics reply, XTVERSION, DA1) and [Decide]
// turns that, the setting (`art = auto|kitty|sixel|iterm2|blocks|off`) and
// whether pcplay runs inside tmux into the [Protocol] to use. Environment
// variables are not trusted for that: SSH does not carry them.
//
// [Decode] reads JPEG, PNG and WebP; [Scale] resizes with
// golang.org/x/image/draw.
package art
