#!/usr/bin/env bash
# Printing a receipt through a real CUPS scheduler: this script starts its own cupsd (private
# configuration, spool and logs under WORK_DIR, listening only on a socket there; no systemd),
# adds a cups-pdf queue, and runs the headless kiosk against it.
#
#   1. An English and a Nepali resident each send a form and tap "Print a receipt". Each receipt
#      must arrive as a one-page A4 PDF whose QR code (read by zbarimg from pdftoppm's rendering)
#      holds the tracking address with the reference that the kiosk's screen shows, with ink on
#      the page, no answer text in it, and the two languages' pages must differ.
#   2. A stopped queue (cupsdisable) and a queue that does not exist: the kiosk says "The printer
#      is not working..." and Finish still starts the next session; no PDF is made.
#
# Needs root (cups-pdf reads its settings only from /etc/cups: this run adds, and removes on
# exit, /etc/cups/cups-pdf-<instance>.conf, which nothing else reads). Exit 77 (skipped) otherwise.
#
# usage: receipt_printing.sh KIOSK CONFIG SCRIPTS_DIR E2E_DIR WORK_DIR
set -euo pipefail
kiosk="$1"; config_in="$2"; scripts="$3"; e2e="$4"; work="$5"
fail() { echo "FAIL: $*" >&2; [ -f "$work/cups/log/error_log" ] && tail -40 "$work/cups/log/error_log" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: printing through a private cupsd needs root"; exit 77; fi
for tool in cupsd lpadmin cupsdisable lpstat pdfinfo pdftoppm pdftotext zbarimg jq; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run installer/install-dependencies.sh"
done
[ -x /usr/lib/cups/backend/cups-pdf ] || fail "the cups-pdf backend is missing (printer-driver-cups-pdf)"

rm -rf "$work"; mkdir -p "$work"
work="$(cd "$work" && pwd)"
# cupsd's filters run as lp: it must be able to reach the spool under WORK_DIR.
chmod 0755 "$work"
cups="$work/cups"
mkdir -p "$cups"/{conf,spool,cache,state,log,tmp} "$work/pdf" "$work/pdf-anonymous" "$work/cups-pdf-spool"
# Filters write their temporary files here as lp, as in the system's own /var/spool/cups/tmp.
chown root:lp "$cups/tmp"; chmod 1770 "$cups/tmp"
socket="$cups/cups.sock"
instance="kiosk-receipt-test-$$"
pdf_conf="/etc/cups/cups-pdf-$instance.conf"
cupsd_pid=""
cleanup() {
  if [ -n "$cupsd_pid" ]; then kill "$cupsd_pid" 2>/dev/null || true; wait "$cupsd_pid" 2>/dev/null || true; fi
  rm -f "$pdf_conf"
}
trap cleanup EXIT

cat >"$cups/conf/cupsd.conf" <<CONF
Listen $socket
LogLevel debug
WebInterface No
Browsing Off
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
cat >"$cups/conf/cups-files.conf" <<CONF
ServerRoot $cups/conf
RequestRoot $cups/spool
TempDir $cups/tmp
CacheDir $cups/cache
StateDir $cups/state
ErrorLog $cups/log/error_log
AccessLog $cups/log/access_log
PageLog $cups/log/page_log
SystemGroup root
CONF
cat >"$pdf_conf" <<CONF
Out $work/pdf
AnonDirName $work/pdf-anonymous
Spool $work/cups-pdf-spool
Log $cups/log
Label 1
CONF

cupsd -f -c "$cups/conf/cupsd.conf" -s "$cups/conf/cups-files.conf" >"$cups/log/cupsd.out" 2>&1 &
cupsd_pid=$!
for _ in $(seq 1 100); do
  [ -S "$socket" ] && lpstat -h "$socket" -r >/dev/null 2>&1 && break
  kill -0 "$cupsd_pid" 2>/dev/null || { cat "$cups/log/cupsd.out" >&2; fail "cupsd did not start"; }
  sleep 0.1
done
case "$(lpstat -h "$socket" -r 2>&1)" in *"is running"*) ;; *) fail "cupsd does not answer on $socket" ;; esac
lpadmin -h "$socket" -p kiosk-receipts -E -v "cups-pdf:/$instance" -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd \
  || fail "lpadmin could not add the cups-pdf queue"
lpadmin -h "$socket" -p kiosk-receipts -o printer-error-policy=abort-job

# The kiosk's configuration: the end-to-end one, with the pack path made absolute and a printer.
config_in="$(cd "$(dirname "$config_in")" && pwd)/$(basename "$config_in")"
pack="$(cd "$(dirname "$config_in")" && cd "$(jq -r .packDirectory "$config_in")" && pwd)"
write_config() {  # write_config FILE QUEUE
  jq --arg pack "$pack" --arg queue "$2" --arg server "$socket" \
    '.packDirectory = $pack | .printer = {name: $queue, server: $server}' "$config_in" >"$1"
}

# The flows: a housing advice form in English, or a missed bin in Nepali (from the end-to-end
# scripts), up to the confirmation page; then what each run checks.
english_flow() { sed '/^drag -250/,$d' "$scripts/receipt-qr.txt"; }
nepali_flow() { sed '/^tap "समाप्त गर्नुहोस्"/,$d' "$e2e/missed-bin-nepali.txt"; }

run_kiosk() {  # run_kiosk NAME CONFIG SCRIPT
  local name="$1"
  mkdir -p "$work/$name/data"
  "$kiosk" --headless --size 1920x1080 --no-sync --config "$2" --data-dir "$work/$name/data" \
    --script "$3" --screenshots "$work/$name/shots" >"$work/$name/kiosk.log" 2>&1 \
    || { cat "$work/$name/kiosk.log" >&2; fail "the $name run did not complete"; }
}

# The reference the kiosk showed, read from its own confirmation screenshot's QR code.
screen_qr() { zbarimg --raw -q "$(ls "$work/$1/shots/"*screen-qr*.png | head -1)" 2>/dev/null || true; }

wait_for_pdfs() {  # wait_for_pdfs COUNT
  for _ in $(seq 1 600); do
    local count; count="$(find "$work/pdf" -name '*.pdf' -size +0 | wc -l)"
    # Done when the PDFs are there and the queue has finished with them.
    if [ "$count" -ge "$1" ] && [ -z "$(lpstat -h "$socket" -o 2>/dev/null)" ]; then return 0; fi
    sleep 0.1
  done
  fail "expected $1 receipt PDF(s) in $work/pdf; found: $(ls "$work/pdf" "$work/pdf-anonymous")"
}

# Ink on a page: the share of dark pixels, in thousandths, at 40 dpi in grey.
ink_per_mille() {
  pdftoppm -gray -r 40 -singlefile "$1" "$work/ink" >/dev/null
  local header; header="$(head -c 20 "$work/ink.pgm" | head -3 | tr '\n' ' ')"
  local width height; read -r _ width height _ <<<"$header"
  local size=$((width * height))
  tail -c "$size" "$work/ink.pgm" | od -An -v -tu1 \
    | awk -v total="$size" '{for (i = 1; i <= NF; i++) if ($i < 128) dark++} END {print int(dark * 1000 / total)}'
}

check_receipt() {  # check_receipt NAME PDF ANSWER...
  local name="$1" pdf="$2"; shift 2
  local info; info="$(pdfinfo "$pdf")"
  case "$info" in *"Pages:           1"*) ;; *) fail "$name: the receipt is not one page: $info" ;; esac
  case "$info" in *"(A4)"*) ;; *) fail "$name: the receipt is not A4: $info" ;; esac
  pdftoppm -r 150 -png -singlefile "$pdf" "$work/$name/receipt"
  local printed; printed="$(zbarimg --raw -q "$work/$name/receipt.png" 2>/dev/null || true)"
  local shown; shown="$(screen_qr "$name")"
  [[ "$shown" =~ ^https://sample-district\.example/track\?ref=E2E-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] \
    || fail "$name: the confirmation's QR code reads '$shown'"
  [ "$printed" = "$shown" ] || fail "$name: the receipt's QR code reads '$printed', the screen's '$shown'"
  local ink; ink="$(ink_per_mille "$pdf")"
  { [ "$ink" -ge 10 ] && [ "$ink" -le 300 ]; } || fail "$name: $ink/1000 of the page is ink"
  local text; text="$(pdftotext "$pdf" - 2>/dev/null; strings "$pdf")"
  for answer in "$@"; do
    case "$text" in *"$answer"*) fail "$name: the receipt holds the answer '$answer'" ;; esac
  done
  echo "$name: one A4 page, QR '$printed', ink $ink/1000"
}

# 1. English and Nepali receipts.
write_config "$work/kiosk.json" kiosk-receipts
{ english_flow
  echo 'shot receipt-asked'
  echo 'tap "Print a receipt"'
  echo 'expect "Your receipt is printing. Take it from the printer."'
  echo 'expect-not "Print a receipt"'
  echo 'shot receipt-printed'
  echo 'drag -400'
  echo 'shot screen-qr'
  echo 'tap "Finish"'
  echo 'expect "Touch the screen to start"'
} >"$work/english.txt"
run_kiosk english "$work/kiosk.json" "$work/english.txt"
wait_for_pdfs 1
english_pdf="$(find "$work/pdf" -name '*.pdf' | head -1)"
check_receipt english "$english_pdf" "Sam Example" "Meadowsweet" "01632 960 001" "landlord"

{ nepali_flow
  echo 'shot receipt-asked'
  echo 'tap "रसिद छाप्नुहोस्"'
  echo 'expect "तपाईंको रसिद छापिँदैछ। प्रिन्टरबाट लिनुहोस्।"'
  echo 'shot receipt-printed'
  echo 'drag -400'
  echo 'shot screen-qr'
  echo 'tap "समाप्त गर्नुहोस्"'
  echo 'expect "Touch the screen to start"'
} >"$work/nepali.txt"
run_kiosk nepali "$work/kiosk.json" "$work/nepali.txt"
wait_for_pdfs 2
nepali_pdf="$(find "$work/pdf" -name '*.pdf' ! -path "$english_pdf" | head -1)"
check_receipt nepali "$nepali_pdf" "07700" "Acorn"
cmp -s "$work/english/receipt.png" "$work/nepali/receipt.png" && fail "the Nepali receipt is the English one"

# 2. A stopped queue and a missing one: the failure is shown and the kiosk goes on.
printer_fails() {  # printer_fails NAME QUEUE
  write_config "$work/$1.json" "$2"
  { english_flow
    echo 'tap "Print a receipt"'
    echo 'expect "The printer is not working. Write your reference down or ask a member of staff."'
    echo 'shot printer-not-working'
    echo 'tap "Finish"'
    echo 'expect "Touch the screen to start"'
    echo 'tap "Touch the screen to start"'
    echo 'tap "English"'
    echo 'expect "Ask for housing advice"'
  } >"$work/$1.txt"
  run_kiosk "$1" "$work/$1.json" "$work/$1.txt"
  echo "$1: the kiosk said the printer is not working and carried on"
}
cupsdisable -h "$socket" kiosk-receipts
printer_fails stopped-queue kiosk-receipts
printer_fails missing-queue no-such-queue
[ "$(find "$work/pdf" -name '*.pdf' | wc -l)" -eq 2 ] || fail "a receipt was printed while the printer was not working"

echo "PASS: receipts print in English and Nepali through CUPS, and a printer that is not working never stops the kiosk"
