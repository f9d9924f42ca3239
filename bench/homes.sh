# bench/homes.sh, sourced by bench/run.sh, bench/srtp.sh and bench/quality.sh: the two HOMEs a
# comparison runs tshark in, under a temporary $WORK removed on exit:
# home-base without the plugin, home-plugin with $PLUGIN in its personal
# plugin folder.  When run as root both belong to $RUN_USER and tshark runs
# as that user, as tshark run as root ignores personal plugins.  A global
# msstun.so would be loaded by the baseline too: the benchmark stops then.
#
# SPDX-License-Identifier: GPL-2.0-or-later

# edge_captures N...: $CACHE/edge-N.pcap from bench/gen_edge.py for each N, reused while
# bench/gen_edge.py and captures/lib/ are older than the capture.
edge_captures() {
    local n f
    mkdir -p "$CACHE"
    chmod 755 "$CACHE"
    for n in "$@"; do
        f=$CACHE/edge-$n.pcap
        if [ ! -f "$f" ] || [ "$ROOT/bench/gen_edge.py" -nt "$f" ] ||
           [ -n "$(find "$ROOT/captures/lib" -name '*.py' -newer "$f")" ]; then
            log "generating $f"
            python3 "$ROOT/bench/gen_edge.py" --frames "$n" --out "$f.tmp" >&2
            mv "$f.tmp" "$f"
        fi
        chmod 644 "$f"
    done
}

# ts HOME ARGS...: the installed tshark in a hermetic environment.
ts() {
    local home=$1
    shift
    "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" TZ=UTC LC_ALL=C.UTF-8 tshark "$@"
}

# make_homes TEMPLATE: sets WORK (mktemp -d TEMPLATE), MAJMIN and RUNAS.
make_homes() {
    WORK=$(mktemp -d "$1")
    trap 'rm -rf "$WORK"' EXIT
    chmod 755 "$WORK"
    MAJMIN=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\)\.\([0-9]*\)\..*/\1.\2/p' | head -1)
    mkdir -p "$WORK/home-base" "$WORK/home-plugin/.local/lib/wireshark/plugins/$MAJMIN/epan"
    cp "$PLUGIN" "$WORK/home-plugin/.local/lib/wireshark/plugins/$MAJMIN/epan/msstun.so"
    RUNAS=()
    if [ "$(id -u)" = 0 ]; then
        chown -R "$RUN_USER:$(id -gn "$RUN_USER")" "$WORK/home-base" "$WORK/home-plugin"
        RUNAS=(setpriv "--reuid=$(id -u "$RUN_USER")" "--regid=$(id -g "$RUN_USER")" --clear-groups --)
    fi
    ts "$WORK/home-plugin" -G plugins | grep -q msstun || { log "the plugin does not load from the temporary HOME"; exit 2; }
    if ts "$WORK/home-base" -G plugins | grep -q msstun; then
        log "msstun is installed globally: the baseline would load it (tools/install.sh --uninstall)"
        exit 2
    fi
}
