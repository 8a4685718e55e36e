// Command alsafloor plays an mp3 file with go-mp3 straight into ALSA from
// one goroutine, as lean as a Go player on this decoder can be: it waits
// for a period of room with a Go timer (never blocking inside C, where the
// runtime's sysmon would take the P back and restart its fast polling),
// then decodes one period and writes it with snd_pcm_writei, which returns
// at once. One wakeup per period, no other goroutine, no float conversion.
// bench/players.sh runs it next to pcplay's engine as the practical floor
// of decode + output through the same ALSA path.
//
//	alsafloor [-buffer 200ms] [-periods 4] [-seconds 0] FILE.mp3
//
// The file loops; -seconds 0 plays until killed.
package main

// #cgo pkg-config: alsa
// #include <alsa/asoundlib.h>
import "C"

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
	"unsafe"

	mp3 "github.com/hajimehoshi/go-mp3"
)

type reader struct{ r io.Reader }

func (r reader) Read(p []byte) (int, error) { return r.r.Read(p) }

func main() {
	buffer := flag.Duration("buffer", 200*time.Millisecond, "device buffer")
	periods := flag.Int("periods", 4, "periods per buffer")
	secs := flag.Float64("seconds", 0, "stop after this long (0: never)")
	flag.Parse()
	if flag.NArg() != 1 || *periods < 2 {
		fmt.Fprintln(os.Stderr, "usage: alsafloor [-buffer 200ms] [-periods 4] [-seconds 0] FILE.mp3")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *buffer, *periods, *secs); err != nil {
		fmt.Fprintln(os.Stderr, "alsafloor:", err)
		os.Exit(1)
	}
}

func alsaErr(what string, rc C.int) error {
	return fmt.Errorf("%s: %s", what, C.GoString(C.snd_strerror(rc)))
}

func run(file string, buffer time.Duration, periods int, secs float64) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec, err := mp3.NewDecoder(reader{bytes.NewReader(data)})
	if err != nil {
		return err
	}
	rate := dec.SampleRate()
	name := C.CString("default")
	defer C.free(unsafe.Pointer(name))
	var h *C.snd_pcm_t
	if rc := C.snd_pcm_open(&h, name, C.SND_PCM_STREAM_PLAYBACK, 0); rc < 0 {
		return alsaErr("snd_pcm_open", rc)
	}
	defer C.snd_pcm_close(h)
	if rc := C.snd_pcm_set_params(h, C.SND_PCM_FORMAT_S16_LE, C.SND_PCM_ACCESS_RW_INTERLEAVED,
		2, C.uint(rate), 1, C.uint(buffer/time.Microsecond)); rc < 0 {
		return alsaErr("snd_pcm_set_params", rc)
	}
	var bufFrames, periodFrames C.snd_pcm_uframes_t
	if rc := C.snd_pcm_get_params(h, &bufFrames, &periodFrames); rc < 0 {
		return alsaErr("snd_pcm_get_params", rc)
	}
	// Write in chunks of buffer/periods frames whatever period ALSA chose.
	chunk := int(bufFrames) / periods
	pcm := make([]byte, chunk*4)
	var end time.Time
	if secs > 0 {
		end = time.Now().Add(time.Duration(secs * float64(time.Second)))
	}
	for end.IsZero() || time.Now().Before(end) {
		avail := int(C.snd_pcm_avail_update(h))
		if avail < 0 {
			if rc := C.snd_pcm_recover(h, C.int(avail), 1); rc < 0 {
				return alsaErr("snd_pcm_recover", rc)
			}
			continue
		}
		if avail < chunk {
			time.Sleep(time.Duration(chunk-avail) * time.Second / time.Duration(rate))
			continue
		}
		n, err := io.ReadFull(dec, pcm)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			if dec, err = mp3.NewDecoder(reader{bytes.NewReader(data)}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if n < 4 {
			continue
		}
		w := C.snd_pcm_writei(h, unsafe.Pointer(&pcm[0]), C.snd_pcm_uframes_t(n/4))
		if w < 0 {
			if rc := C.snd_pcm_recover(h, C.int(w), 1); rc < 0 {
				return alsaErr("snd_pcm_writei", rc)
			}
		}
	}
	return nil
}
