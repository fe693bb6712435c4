#!/bin/bash
# usage: cpu.tmp.sh RATE SECS
cd /work/wt-hub
node --conditions=source --import tsx packages/hub/bench/hubonly.tmp.ts & HP=$!
sleep 2.5
RATE=$1 SECS=$2 node --conditions=source --import tsx packages/hub/bench/driveonly.tmp.ts | tail -3
kill -INT $HP; wait $HP 2>/dev/null
