# shellcheck shell=bash disable=SC2034 # the fixtures are read by the tests
#
# wslib.sh: workspace fixtures for tests/e2e/matrix.test and
# tests/e2e/badinput.test, sourced after lib.sh and e2e_start (never run).
#
# Two workspaces, made through the API the way a person makes them:
#
#	A  slug "acme"   OA owner, AA admin, MA member, TV member (a victim
#	                 for role changes and team moves), team "Fixture" (X),
#	                 one pending invitation (IA)
#	B  slug "beta"   OB owner, NB member (the "non-member" actor of A),
#	                 team "Fixture B" (XB), one pending invitation (IB)
#
# Owners come from POST /api/onboarding/identity + POST /api/workspaces;
# the others from second-admin member-add; cookies from second-admin cookie.
# Invitations are inserted with psql (none mode sends none).
#
# Variables after ws_fixtures:
#	A_ID B_ID A_SLUG B_SLUG
#	COOKIE[actor] EMAIL[actor] UID_OF[actor]  actors: owner admin member
#	    nonmember ownerb victim (none: no cookie)
#	X_ID XB_ID GEN_A GEN_B IA_ID IB_ID
#	FIX  set by fresh_member, fresh_team, fresh_invite

ADMIN=${SECOND_ADMIN:-$top_builddir/src/second-admin}
[ -x "$ADMIN" ] || bail "$ADMIN not built (run make)"

declare -gA COOKIE=() EMAIL=() UID_OF=()
SEQ=0
FIX=

# admin ARGS...: second-admin with the empty config the pool uses.
admin() {
	"$ADMIN" -c "$T/empty.conf" "$@"
}

# sql QUERY: one psql statement as the cluster superuser, unaligned output.
sql() {
	"$PGTMP_BINDIR/psql" -X -qAt -v ON_ERROR_STOP=1 -c "$1"
}

# api METHOD PATH COOKIE [BODY [CONTENT-TYPE]]: one request through nginx,
# like lib.sh's http (STATUS, BODY, $T/resp.body, $T/resp.hdr) with fewer
# processes: the matrix makes a thousand of these.  A BODY starting with @
# names a file.  RAWBODY: the body byte for byte (BODY loses trailing
# newlines, as in http).
api() {
	local m=$1 p=$2 c=$3 a=() lines=()
	[ -n "$c" ] && a+=(-H "Cookie: $c")
	if [ $# -ge 4 ]; then
		a+=(-H "Content-Type: ${5-application/json}" --data-binary "$4")
	fi
	STATUS=$(curl -sS --max-time "${HTTP_TIMEOUT:-10}" --unix-socket "$T/nginx.sock" \
	    -X "$m" -D "$T/resp.hdr.raw" -o "$T/resp.body" -w '%{http_code}' \
	    "${a[@]}" "http://localhost$p" 2>"$T/resp.err") || true
	[ -n "$STATUS" ] || STATUS=000
	RAWBODY=
	[ -f "$T/resp.body" ] && IFS= read -r -d '' RAWBODY <"$T/resp.body"
	BODY=$RAWBODY
	while [ "${BODY%$'\n'}" != "$BODY" ]; do BODY=${BODY%$'\n'}; done
	lines=()
	[ -f "$T/resp.hdr.raw" ] && mapfile -t lines <"$T/resp.hdr.raw"
	if [ ${#lines[@]} -gt 0 ]; then
		printf '%s\n' "${lines[@]%$'\r'}" >"$T/resp.hdr"
	else
		: >"$T/resp.hdr"
	fi
	return 0
}

# err_code: the "error" of the last response body ("" if none).
err_code() {
	if [[ $BODY =~ ^\{\"error\":\"([a-z_]*)\" ]]; then
		printf '%s\n' "${BASH_REMATCH[1]}"
	fi
}

# mint ACTOR: a fresh session cookie for ACTOR from second-admin.
mint() {
	local c
	c=$(admin cookie --email "${EMAIL[$1]}") || bail "second-admin cookie for $1 failed"
	case $c in
	*=*) COOKIE[$1]=$c ;;
	*) bail "second-admin cookie printed '$c'" ;;
	esac
}

# member_add WS EMAIL NAME ROLE: echo the user id.
member_add() {
	local out
	out=$(admin member-add --workspace "$1" --email "$2" --name "$3" --role "$4") ||
	    return 1
	out=${out#user }
	printf '%s\n' "${out%% *}"
}

# onboard ACTOR NAME EMAIL: POST /api/onboarding/identity, keep the cookie.
onboard() {
	local sc
	api POST /api/onboarding/identity "" "{\"displayName\":\"$2\",\"email\":\"$3\"}"
	[ "$STATUS" = 201 ] || { _diag; bail "onboarding $3: status $STATUS"; }
	sc=$(hdr Set-Cookie | head -n 1)
	sc=${sc%%;*}
	[ -n "$sc" ] || bail "onboarding $3: no Set-Cookie"
	COOKIE[$1]=$sc
	EMAIL[$1]=$3
	UID_OF[$1]=$(json_str id)
}

# new_ws ACTOR NAME SLUG: POST /api/workspaces; echo nothing, set WS_NEW.
new_ws() {
	api POST /api/workspaces "${COOKIE[$1]}" "{\"name\":\"$2\",\"slug\":\"$3\"}"
	[ "$STATUS" = 201 ] || { _diag; bail "creating workspace $3: status $STATUS"; }
	WS_NEW=$(json_str id)
}

# team_id_named WS NAME: the id of team NAME in WS (owner's view), via the API.
team_id_named() {
	api GET "/api/workspaces/$1/teams?limit=200" "$2"
	printf '%s' "$BODY" | tr -d '\n' | grep -o '"id":"[0-9a-f]*","name":"'"$3"'"' |
	    head -n 1 | sed 's/"id":"\([0-9a-f]*\)".*/\1/'
}

# new_invite WS_ID EMAIL: insert a pending invitation, echo its id.
new_invite() {
	sql "INSERT INTO second.invitations (workspace_id, id, email,
	    email_normalized, role) VALUES ('$1',
	    substr(md5(random()::text || clock_timestamp()::text), 1, 24),
	    '$2', lower('$2'), 'member') RETURNING id"
}

fresh_member() {
	SEQ=$((SEQ + 1))
	FIX=$(member_add "$A_SLUG" "fresh$SEQ@example.test" "Fresh $SEQ" member) ||
	    bail "member-add fresh$SEQ failed"
}

fresh_team() {
	SEQ=$((SEQ + 1))
	api POST "/api/workspaces/$A_SLUG/teams" "${COOKIE[owner]}" "{\"name\":\"Fresh team $SEQ\"}"
	[ "$STATUS" = 201 ] || { _diag; bail "creating a fresh team: status $STATUS"; }
	FIX=$(json_str id)
}

fresh_invite() {
	SEQ=$((SEQ + 1))
	FIX=$(new_invite "$A_ID" "fresh-inv$SEQ@example.test") || bail "inserting an invitation failed"
}

ws_fixtures() {
	A_SLUG=acme
	B_SLUG=beta
	onboard owner "Olga Owner" owner-a@example.test
	new_ws owner "Acme" "$A_SLUG"
	A_ID=$WS_NEW
	onboard ownerb "Otto Owner" owner-b@example.test
	new_ws ownerb "Beta" "$B_SLUG"
	B_ID=$WS_NEW

	EMAIL[admin]=admin-a@example.test
	EMAIL[member]=member-a@example.test
	EMAIL[victim]=victim-a@example.test
	EMAIL[nonmember]=member-b@example.test
	UID_OF[admin]=$(member_add "$A_SLUG" "${EMAIL[admin]}" "Ada Admin" admin) || bail "member-add admin"
	UID_OF[member]=$(member_add "$A_SLUG" "${EMAIL[member]}" "Max Member" member) || bail "member-add member"
	UID_OF[victim]=$(member_add "$A_SLUG" "${EMAIL[victim]}" "Vic Victim" member) || bail "member-add victim"
	UID_OF[nonmember]=$(member_add "$B_SLUG" "${EMAIL[nonmember]}" "Nina Nonmember" member) ||
	    bail "member-add nonmember"
	for _a in owner ownerb admin member victim nonmember; do
		mint "$_a"
	done
	COOKIE[none]=

	api POST "/api/workspaces/$A_SLUG/teams" "${COOKIE[owner]}" '{"name":"Fixture"}'
	[ "$STATUS" = 201 ] || bail "team Fixture: $STATUS"
	X_ID=$(json_str id)
	api POST "/api/workspaces/$B_SLUG/teams" "${COOKIE[ownerb]}" '{"name":"Fixture B"}'
	[ "$STATUS" = 201 ] || bail "team Fixture B: $STATUS"
	XB_ID=$(json_str id)
	GEN_A=$(team_id_named "$A_SLUG" "${COOKIE[owner]}" General)
	GEN_B=$(team_id_named "$B_SLUG" "${COOKIE[ownerb]}" General)
	IA_ID=$(new_invite "$A_ID" invited-a@example.test) || bail "invitation A"
	IB_ID=$(new_invite "$B_ID" invited-b@example.test) || bail "invitation B"
	local v
	for v in A_ID B_ID X_ID XB_ID GEN_A GEN_B IA_ID IB_ID; do
		[[ ${!v} =~ ^[0-9a-f]{24}$ ]] || bail "fixture $v is '${!v}', not an id"
	done
	for v in owner ownerb admin member victim nonmember; do
		[[ ${UID_OF[$v]} =~ ^[0-9a-f]{24}$ ]] || bail "fixture user $v has id '${UID_OF[$v]}'"
	done
}

# state_sum: a digest of every row the workspace API can write (users,
# workspaces, memberships, teams, team memberships, invitations).
state_sum() {
	sql "SELECT md5(string_agg(r, E'\n' ORDER BY r)) FROM (
	    SELECT 'u' || row(u.*)::text AS r FROM second.users u
	    UNION ALL SELECT 'w' || row(w.*)::text FROM second.workspaces w
	    UNION ALL SELECT 'm' || row(m.*)::text FROM second.workspace_memberships m
	    UNION ALL SELECT 't' || row(t.*)::text FROM second.teams t
	    UNION ALL SELECT 'tm' || row(x.*)::text FROM second.team_memberships x
	    UNION ALL SELECT 'i' || row(i.*)::text FROM second.invitations i) s"
}
