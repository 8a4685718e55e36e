#!/usr/bin/env bash
# Route ALSA's default PCM into a file, paced by a PulseAudio null sink, so the
# real speaker path (pcplay's ALSA output) can be heard by tests on a machine
# with no sound card.
#
#   dir=$(mktemp -d); eval "$(scripts/alsa-capture/start.sh "$dir")"
#   ... run the program under test with the variables this prints ...
#   scripts/alsa-capture/stop.sh "$dir"
#
# The capture lands in DIR/cap.raw (a re-open of the device writes cap.raw.0001, ...): float32 little-endian, stereo, 44100 Hz
# (the format the player opens; pcplay's speaker opens FLOAT_LE where the device takes it). Needs Debian's pulseaudio,
# pulseaudio-utils and libasound2-plugins (scripts/install-deps.sh test installs them). Works as root too: PulseAudio only warns.
set -euo pipefail
dir=${1:?usage: start-capture.sh DIR}
mkdir -p "$dir/pa-home" "$dir/pa-run" "$dir/empty-run" "$dir/home"
chmod 700 "$dir/pa-run" "$dir/empty-run"
sock="$dir/pa-run/pulse/native"
if ! [ -S "$sock" ] || ! HOME="$dir/pa-home" XDG_RUNTIME_DIR="$dir/pa-run" pactl info >/dev/null 2>&1; then
  HOME="$dir/pa-home" XDG_RUNTIME_DIR="$dir/pa-run" setsid pulseaudio -n --daemonize=no \
    --exit-idle-time=-1 --use-pid-file=no --disallow-exit=yes \
    -L "module-null-sink sink_name=nullsink rate=44100 channels=2" \
    -L "module-null-source source_name=silence" \
    -L "module-loopback source=silence sink=nullsink latency_msec=20" \
    -L module-native-protocol-unix >"$dir/pulseaudio.log" 2>&1 &
  echo $! >"$dir/pulseaudio.pid"
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { echo "start-capture: pulseaudio did not start, see $dir/pulseaudio.log" >&2; exit 1; }
fi
cat >"$dir/asound.conf" <<CONF
</usr/share/alsa/alsa.conf>
pcm.!default {
    type file
    slave.pcm { type pulse; server "unix:$sock" }
    file "$dir/cap.raw"
    format "raw"
    truncate false
}
CONF
rm -f "$dir"/cap.raw*
# The program under test needs an EMPTY XDG_RUNTIME_DIR and its own HOME:
# otherwise Debian's 99-pulse.conf finds a PulseAudio server and replaces
# pcm.!default with plain pulse, and nothing is captured.
echo "export ALSA_CONFIG_PATH='$dir/asound.conf' XDG_RUNTIME_DIR='$dir/empty-run' HOME='$dir/home'"
