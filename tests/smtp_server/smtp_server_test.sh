#!/usr/bin/env bash
# The SMTP test server does what the email destination's tests rely on, checked with the curl
# command line: a message sent over STARTTLS with AUTH is stored byte for byte with its
# envelope; MAIL without STARTTLS, and a wrong password, are refused and store nothing; the
# 451 and 550 switches answer the next messages and then let mail through.
# Usage: smtp_server_test.sh PYTHON3 SERVER_SCRIPT
set -euo pipefail
python="$1" server="$2"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start_server() {  # start_server [fault switches...]
  rm -f "$work/port"
  "$python" "$server" --port-file "$work/port" --tls-dir "$work/tls" --out-dir "$work/mail" \
    --username kiosk-user --password 'right horse battery' "$@" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 1 200); do
    [ -s "$work/port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited: $(cat "$work/server.log")"
    sleep 0.05
  done
  [ -s "$work/port" ] || fail "the server did not write its port file"
  port="$(cat "$work/port")"
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

send() {  # send PASSWORD [curl options...]: prints curl's exit code
  local password="$1"; shift
  local code=0
  curl -sS --max-time 20 --url "smtp://127.0.0.1:$port" --cacert "$work/tls/ca.pem" \
    --mail-from kiosk@test.example --mail-rcpt housing@test.example \
    --user "kiosk-user:$password" -T "$work/message.eml" "$@" 2>>"$work/curl.log" || code=$?
  echo "$code"
}
count_mail() { find "$work/mail" -name '*.eml' 2>/dev/null | wc -l; }

printf 'From: kiosk@test.example\r\nTo: housing@test.example\r\nSubject: T\r\n\r\n.leading dot\r\nZa\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87\r\n' >"$work/message.eml"

start_server
[ -s "$work/tls/ca.pem" ] || fail "no CA certificate in the TLS directory"

[ "$(send 'right horse battery' --ssl-reqd)" = 0 ] || fail "a good message was refused: $(cat "$work/curl.log")"
[ "$(count_mail)" = 1 ] || fail "expected one stored message"
cmp "$work/message.eml" "$work/mail/0001.eml" || fail "the stored message differs from the one sent"
case "$(cat "$work/mail/0001.json")" in
  *'"mailFrom": "kiosk@test.example"'*'"recipients": ["housing@test.example"]'*'"login": "kiosk-user"'*'"tls": true'*) ;;
  *) fail "unexpected envelope: $(cat "$work/mail/0001.json")" ;;
esac

# No STARTTLS: curl is not told to use TLS, so it sends MAIL in the clear and must be refused.
[ "$(send 'right horse battery' --login-options AUTH=PLAIN)" != 0 ] || fail "MAIL without STARTTLS was accepted"
[ "$(count_mail)" = 1 ] || fail "a message without STARTTLS was stored"

[ "$(send 'wrong password' --ssl-reqd)" = 67 ] || fail "a wrong password was not refused with 535 (curl exit 67)"
[ "$(count_mail)" = 1 ] || fail "a message with a wrong password was stored"
stop_server

rm -rf "$work/mail"
start_server --answer-451 1 --answer-550 1
# curl reports a refusal after DATA as exit 8 ("weird server reply") without the code.
[ "$(send 'right horse battery' --ssl-reqd)" = 8 ] || fail "the 451 switch let the first message through"
[ "$(send 'right horse battery' --ssl-reqd)" = 8 ] || fail "the 550 switch let the second message through"
[ "$(count_mail)" = 0 ] || fail "a refused message was stored"
[ "$(send 'right horse battery' --ssl-reqd)" = 0 ] || fail "the third message was refused"
[ "$(count_mail)" = 1 ] || fail "the third message was not stored"
stop_server
echo "smtp test server: STARTTLS, AUTH, byte-for-byte storage and fault switches work"
