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
#
# app_fixtures (after ws_fixtures) adds the app actors and apps (see
# "apps" below); batch_add/batch_run send many requests from one curl
# process; all_state_sum digests every API-writable table.  ws_fixtures
# opens one psql session (db_session) that sql and the digests use.

ADMIN=${SECOND_ADMIN:-$top_builddir/src/second-admin}
[ -x "$ADMIN" ] || bail "$ADMIN not built (run make)"

declare -gA COOKIE=() EMAIL=() UID_OF=()
SEQ=0
FIX=

# admin ARGS...: second-admin with the empty config the pool uses.
admin() {
	"$ADMIN" -c "$T/empty.conf" "$@"
}

# sql QUERY: one psql statement as the cluster superuser, unaligned output
# (through db_session's connection when it is open).
sql() {
	local out
	if [ -n "${_DBQ_PID-}" ]; then
		out=$(_dbq "$1;")
		case $out in
		*ERROR:*) printf '%s\n' "$out" >&2; return 1 ;;
		esac
		[ -z "$out" ] || printf '%s\n' "$out"
		return 0
	fi
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

# icall PATH BODY [AUTHORIZATION|-] [CONTENT-TYPE]: POST PATH with BODY
# (@FILE: a file) as the worker does (Bearer token by default; "-": no
# header); STATUS, BODY, $T/resp.hdr as api does.
icall() {
	local auth=${3-Bearer $INTERNAL_API_TOKEN} a=() lines=()
	[ "$auth" != - ] && a+=(-H "Authorization: $auth")
	STATUS=$(curl -sS --max-time "${HTTP_TIMEOUT:-10}" --unix-socket "$T/nginx.sock" \
	    -X POST -D "$T/resp.hdr.raw" -o "$T/resp.body" -w '%{http_code}' \
	    "${a[@]}" -H "Content-Type: ${4:-application/json}" --data-binary "$2" \
	    "http://localhost$1" 2>"$T/resp.err") || true
	[ -n "$STATUS" ] || STATUS=000
	BODY=$(cat "$T/resp.body" 2>/dev/null || true)
	mapfile -t lines <"$T/resp.hdr.raw" 2>/dev/null
	printf '%s\n' "${lines[@]%$'\r'}" >"$T/resp.hdr"
	[ "$STATUS" = 500 ] && N500=$((${N500:-0} + 1))
	return 0
}

# agents_approve SLUG ACTOR APP DOC: write DOC as the draft agents.json and
# approve it.
agents_approve() {
	local hash
	agents_draft "$1" "$2" "$3" "$4"
	hash=$(json_str hash)
	api POST "/api/workspaces/$1/apps/$3/agents/approval" "${COOKIE[$2]}" "{\"hash\":\"$hash\"}"
	_must 200 "approving agents.json of $3"
}
agents_draft() {
	api PATCH "/api/workspaces/$1/apps/$3/agents" "${COOKIE[$2]}" "$4"
	_must 200 "agents.json of $3"
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

# add_actor NAME SLUG EMAIL "FULL NAME" ROLE: member_add that person to
# SLUG; keep the email in EMAIL[NAME], the user id in UID_OF[NAME].
add_actor() {
	EMAIL[$1]=$3
	UID_OF[$1]=$(member_add "$2" "$3" "$4" "$5") || bail "member-add $1"
}

ws_fixtures() {
	# shellcheck disable=SC2119
	db_session
	A_SLUG=acme
	B_SLUG=beta
	onboard owner "Olga Owner" owner-a@example.test
	new_ws owner "Acme" "$A_SLUG"
	A_ID=$WS_NEW
	onboard ownerb "Otto Owner" owner-b@example.test
	new_ws ownerb "Beta" "$B_SLUG"
	B_ID=$WS_NEW

	add_actor admin "$A_SLUG" admin-a@example.test "Ada Admin" admin
	add_actor member "$A_SLUG" member-a@example.test "Max Member" member
	add_actor victim "$A_SLUG" victim-a@example.test "Vic Victim" member
	add_actor nonmember "$B_SLUG" member-b@example.test "Nina Nonmember" member
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
# _digest NAME SQL (for state_sum and all_state_sum): the result of SQL,
# through the statement NAME that db_session prepared when it is open.
_DIGEST_HEAD="SELECT md5(string_agg(r, E'\n' ORDER BY r)) FROM ("
_STATE_ROWS="
	    SELECT 'u' || row(u.*)::text AS r FROM second.users u
	    UNION ALL SELECT 'w' || row(w.*)::text FROM second.workspaces w
	    UNION ALL SELECT 'm' || row(m.*)::text FROM second.workspace_memberships m
	    UNION ALL SELECT 't' || row(t.*)::text FROM second.teams t
	    UNION ALL SELECT 'tm' || row(x.*)::text FROM second.team_memberships x
	    UNION ALL SELECT 'i' || row(i.*)::text FROM second.invitations i"
STATE_SQL="$_DIGEST_HEAD$_STATE_ROWS) s"
_digest() {
	if [ -n "${_DBQ_PID-}" ]; then
		_dbq "EXECUTE $1;"
	else
		sql "$2"
	fi
}
state_sum() {
	_digest state_sum "$STATE_SQL"
}

# --- apps ---------------------------------------------------------------------
#
# app_fixtures (after ws_fixtures): the actors and apps of the app routes
# (api.md "Apps and everything under them"), made through the API.
#
# Actors of A, all role member (member-add also puts them in General):
#	creator   creates the apps "draft" and "pub"
#	collab    collaborator of "draft" and "pub"
#	teamed    in team T ("Apps T"), the team of "draft" and "pub"
#	outsider  in team U ("Apps U"), not in T
# and the workspace actors above (owner, admin, member of A; nonmember,
# who is a member of B only and in B's team XB).
#
# Apps (key: attributes in APP_*):
#	draft   A, draft, by creator, collaborator collab, team T
#	pub     A, published (review request by creator: none mode
#	        publishes at once), by creator, collaborator collab, team T
#	odraft  A, draft, by owner, no team, no collaborator
#	opub    A, published (POST .../publish), by owner, team U
#	b       B, published, by ownerb, team XB
# Each app has agents.json AGENTS_DOC (agent "helper", approved, so the
# published apps publish it: AGENTS_HASH), the files src/app.txt and
# src/keep.txt in the draft and (published apps) the published snapshot,
# src/only-KEY.txt likewise, and src/draft-only.txt in the draft only.
# Under each: RUN[key] a builder run; ARUN[key] an agent run of the
# published version (draft apps: none, they publish no agents);
# ARUND[key] an agent run of the draft version (by a builder); DOC[key]
# a document of collection "notes" in the published scope, DOCD[key] one
# in the draft scope.  REV_A: a pending review request of an app in review
# in A ("rapp", by creator); REV_B one in B; REV_DONE: the approved
# (decided) review request that published "pub".
#
# fresh_app CLASS: a new app with the attributes of CLASS (FIX: its id;
# APP_CLASS[id]=CLASS); fresh_review: a new pending review request in A
# (FIX); fresh_file KEY: a new draft file of app KEY (FIX: its path);
# fresh_doc KEY SCOPE: a new document of app KEY (FIX).

AGENTS_DOC='{"agents":[{"id":"helper","name":"Helper"}]}'
declare -gA APP=() APP_WS=() APP_CREATOR=() APP_COLLABS=() APP_TEAMS=()
declare -gA APP_STATUS=() APP_CLASS=() ACTOR_TEAMS=()
declare -gA RUN=() ARUN=() ARUND=() DOC=() DOCD=()
APP_KEYS=(draft pub odraft opub b)

# app_ws_slug KEY: the slug of the app's workspace.
app_ws_slug() {
	if [ "${APP_WS[$1]}" = B ]; then echo "$B_SLUG"; else echo "$A_SLUG"; fi
}

# _ids ACTOR...: a JSON array of the actors' user ids.
_ids() {
	local s='' a
	for a in "$@"; do
		s+="${s:+,}\"${UID_OF[$a]}\""
	done
	printf '[%s]' "$s"
}

# _team_ids ID...: a JSON array of ids.
_id_array() {
	local s='' a
	for a in "$@"; do
		s+="${s:+,}\"$a\""
	done
	printf '[%s]' "$s"
}

# _must STATUS WHAT: the last answer had STATUS, else bail.
_must() {
	[ "$STATUS" = "$1" ] || { _diag; bail "$2: status $STATUS, expected $1"; }
}

# _ws_owner WS: the owner actor of workspace A or B.
_ws_owner() {
	if [ "$1" = B ]; then echo ownerb; else echo owner; fi
}

# app_create CLASS: POST the app of CLASS as its creator; FIX = its id.
app_create() {
	local c=$1 ws slug teams collabs
	ws=${APP_WS[$c]}
	slug=$A_SLUG
	[ "$ws" = B ] && slug=$B_SLUG
	# shellcheck disable=SC2086 # lists of ids
	teams=$(_id_array ${APP_TEAMS[$c]})
	# shellcheck disable=SC2086
	collabs=$(_ids ${APP_COLLABS[$c]})
	SEQ=$((SEQ + 1))
	api POST "/api/workspaces/$slug/apps" "${COOKIE[${APP_CREATOR[$c]}]}" \
	    "{\"name\":\"App $c $SEQ\",\"teamIds\":$teams,\"collaboratorUserIds\":$collabs}"
	_must 201 "creating an app of class $c"
	FIX=$(json_str id)
	[[ $FIX =~ ^[0-9a-f]{24}$ ]] || bail "app of class $c has id '$FIX'"
	APP_CLASS[$FIX]=$c
}

# app_publish CLASS ID: publish app ID the way CLASS is published.
app_publish() {
	local c=$1 id=$2 slug teams
	slug=$(app_ws_slug "$c")
	# shellcheck disable=SC2086
	teams=$(_id_array ${APP_TEAMS[$c]})
	if [ "${APP_CREATOR[$c]}" = creator ]; then
		# None mode: a review request publishes at once.
		api POST "/api/workspaces/$slug/apps/$id/review-requests" \
		    "${COOKIE[creator]}" "{\"teamIds\":$teams}"
		_must 201 "review request (publish) of an app of class $c"
		LAST_REVIEW=$(json_str id)
	else
		api POST "/api/workspaces/$slug/apps/$id/publish" \
		    "${COOKIE[${APP_CREATOR[$c]}]}" "{\"teamIds\":$teams}"
		_must 200 "publishing an app of class $c"
	fi
}

# app_file CLASS ID PATH: put a draft file as the app's creator.
app_file() {
	api PUT "/api/workspaces/$(app_ws_slug "$1")/apps/$2/files/$3" \
	    "${COOKIE[${APP_CREATOR[$1]}]}" "{\"content\":\"content of $3\"}"
	_must 204 "putting $3 into an app of class $1"
}

fresh_app() {
	app_create "$1"
	local id=$FIX
	[ "${APP_STATUS[$1]}" = published ] && app_publish "$1" "$id"
	FIX=$id
}

fresh_file() {
	SEQ=$((SEQ + 1))
	app_file "$1" "${APP[$1]}" "src/fresh-$SEQ.txt"
	FIX=src/fresh-$SEQ.txt
}

# fresh_doc KEY SCOPE
fresh_doc() {
	local q=''
	[ "$2" = draft ] && q='&version=draft'
	SEQ=$((SEQ + 1))
	api POST "/api/workspaces/$(app_ws_slug "$1")/apps/${APP[$1]}/data?collection=notes$q" \
	    "${COOKIE[${APP_CREATOR[$1]}]}" "{\"collection\":\"notes\",\"data\":{\"n\":$SEQ}}"
	_must 201 "a document of app $1 ($2)"
	FIX=$(json_str id)
}

# review_pending WS APPID REQUESTER: a pending review request (none mode
# opens none: inserted), the app in review; echo its id.
review_pending() {
	local ws_id=$A_ID
	[ "$1" = B ] && ws_id=$B_ID
	sql "UPDATE second.apps SET publish_status = 'in_review'
	    WHERE workspace_id = '$ws_id' AND id = '$2'" >/dev/null &&
	sql "INSERT INTO second.review_requests (workspace_id, id, app_id,
	    target_team_ids, status, requested_by_user_id) VALUES ('$ws_id',
	    substr(md5(random()::text || clock_timestamp()::text), 1, 24),
	    '$2', ARRAY['$T_ID'], 'pending', '${UID_OF[$3]}') RETURNING id"
}

fresh_review() {
	app_create draft
	FIX=$(review_pending A "$FIX" creator) || bail "inserting a review request failed"
}

app_fixtures() {
	local a c id slug
	add_actor creator "$A_SLUG" creator-a@example.test "Cora Creator" member
	add_actor collab "$A_SLUG" collab-a@example.test "Cole Collab" member
	add_actor teamed "$A_SLUG" teamed-a@example.test "Tess Teamed" member
	add_actor outsider "$A_SLUG" outsider-a@example.test "Otis Outsider" member
	for a in creator collab teamed outsider; do
		[[ ${UID_OF[$a]} =~ ^[0-9a-f]{24}$ ]] || bail "fixture user $a has id '${UID_OF[$a]}'"
		mint "$a"
	done

	api POST "/api/workspaces/$A_SLUG/teams" "${COOKIE[owner]}" '{"name":"Apps T"}'
	_must 201 "team Apps T"
	T_ID=$(json_str id)
	api POST "/api/workspaces/$A_SLUG/teams" "${COOKIE[owner]}" '{"name":"Apps U"}'
	_must 201 "team Apps U"
	U_ID=$(json_str id)
	api PUT "/api/workspaces/$A_SLUG/teams/$T_ID/members/${UID_OF[teamed]}" "${COOKIE[owner]}"
	_must 204 "teamed into T"
	api PUT "/api/workspaces/$A_SLUG/teams/$U_ID/members/${UID_OF[outsider]}" "${COOKIE[owner]}"
	_must 204 "outsider into U"
	api PUT "/api/workspaces/$B_SLUG/teams/$XB_ID/members/${UID_OF[nonmember]}" "${COOKIE[ownerb]}"
	_must 204 "nonmember into XB"
	# Every member of A is in General (member-add, workspace creation).
	for a in owner admin member victim creator collab; do
		ACTOR_TEAMS[$a]=$GEN_A
	done
	ACTOR_TEAMS[teamed]="$GEN_A $T_ID"
	ACTOR_TEAMS[outsider]="$GEN_A $U_ID"
	ACTOR_TEAMS[nonmember]="$GEN_B $XB_ID"
	ACTOR_TEAMS[ownerb]=$GEN_B

	APP_WS=([draft]=A [pub]=A [odraft]=A [opub]=A [b]=B)
	APP_CREATOR=([draft]=creator [pub]=creator [odraft]=owner [opub]=owner [b]=ownerb)
	APP_COLLABS=([draft]=collab [pub]=collab [odraft]='' [opub]='' [b]='')
	APP_TEAMS=([draft]=$T_ID [pub]=$T_ID [odraft]='' [opub]=$U_ID [b]=$XB_ID)
	APP_STATUS=([draft]=draft [pub]=published [odraft]=draft [opub]=published [b]=published)

	for c in "${APP_KEYS[@]}"; do
		app_create "$c"
		id=$FIX
		APP[$c]=$id
		slug=$(app_ws_slug "$c")
		api PATCH "/api/workspaces/$slug/apps/$id/agents" "${COOKIE[${APP_CREATOR[$c]}]}" "$AGENTS_DOC"
		_must 200 "agents.json of app $c"
		AGENTS_HASH=$(json_str hash)
		api POST "/api/workspaces/$slug/apps/$id/agents/approval" \
		    "${COOKIE[$(_ws_owner "${APP_WS[$c]}")]}" "{\"hash\":\"$AGENTS_HASH\"}"
		_must 200 "approving agents.json of app $c"
		app_file "$c" "$id" src/app.txt
		app_file "$c" "$id" src/keep.txt
		app_file "$c" "$id" "src/only-$c.txt"
		[ "${APP_STATUS[$c]}" = published ] && app_publish "$c" "$id"
		[ "$c" = pub ] && REV_DONE=$LAST_REVIEW
		app_file "$c" "$id" src/draft-only.txt
		api POST "/api/workspaces/$slug/apps/$id/runs" "${COOKIE[${APP_CREATOR[$c]}]}" \
		    '{"messages":[{"role":"user","content":"build it"}]}'
		_must 201 "a builder run of app $c"
		RUN[$c]=$(json_str id)
		api POST "/api/workspaces/$slug/apps/$id/agent-runs" "${COOKIE[${APP_CREATOR[$c]}]}" \
		    '{"agentId":"helper","prompt":"draft run","version":"draft"}'
		_must 201 "a draft agent run of app $c"
		ARUND[$c]=$(json_str id)
		if [ "${APP_STATUS[$c]}" = published ]; then
			api POST "/api/workspaces/$slug/apps/$id/agent-runs" \
			    "${COOKIE[$(_ws_owner "${APP_WS[$c]}")]}" '{"agentId":"helper","prompt":"published run"}'
			_must 201 "a published agent run of app $c"
			ARUN[$c]=$(json_str id)
		else
			ARUN[$c]=${ARUND[$c]}
		fi
		fresh_doc "$c" published
		DOC[$c]=$FIX
		fresh_doc "$c" draft
		DOCD[$c]=$FIX
	done
	app_create draft
	RAPP=$FIX
	REV_A=$(review_pending A "$RAPP" creator) || bail "review request A"
	app_create b
	REV_B=$(review_pending B "$FIX" ownerb) || bail "review request B"
	for v in T_ID U_ID RAPP REV_A REV_B REV_DONE AGENTS_HASH; do
		[ -n "${!v}" ] || bail "app fixture $v is empty"
	done
	for c in "${APP_KEYS[@]}"; do
		for v in "${APP[$c]}" "${RUN[$c]}" "${ARUN[$c]}" "${ARUND[$c]}" "${DOC[$c]}" "${DOCD[$c]}"; do
			[[ $v =~ ^[0-9a-f]{24}$ ]] || bail "app fixture of $c: '$v' is not an id"
		done
	done
}

# all_state_sum: a digest of every row the workspace and app APIs can
# write (state_sum's tables, apps, their collaborators and teams,
# snapshots, review requests, agent approvals, builder runs, agent runs,
# app data, integration grants, credentials and secrets); audit events are left out (refusals are recorded).  Through
# db_session's connection when it is open (a digest per request is then
# one query, not one psql process and connection).
ALL_STATE_SQL="$_DIGEST_HEAD$_STATE_ROWS
	    UNION ALL SELECT 'a' || row(a.*)::text FROM second.apps a
	    UNION ALL SELECT 'ac' || row(c.*)::text FROM second.app_collaborators c
	    UNION ALL SELECT 'at' || row(t.*)::text FROM second.app_teams t
	    UNION ALL SELECT 's' || row(s.*)::text FROM second.app_source_snapshots s
	    UNION ALL SELECT 'rr' || row(q.*)::text FROM second.review_requests q
	    UNION ALL SELECT 'p' || row(p.*)::text FROM second.agent_config_approvals p
	    UNION ALL SELECT 'b' || row(b.*)::text FROM second.builder_runs b
	    UNION ALL SELECT 'g' || row(g.*)::text FROM second.agent_runs g
	    UNION ALL SELECT 'd' || row(d.*)::text FROM second.app_data d
	    UNION ALL SELECT 'ig' || row(ig.*)::text FROM second.integrations ig
	    UNION ALL SELECT 'ic' || row(ic.*)::text FROM second.integration_credentials ic
	    UNION ALL SELECT 'is' || row(x.*)::text FROM second.integration_secrets x
	    UNION ALL SELECT 'op' || row(op.*)::text FROM second.oauth_provider_configs op) s"
all_state_sum() {
	_digest all_state_sum "$ALL_STATE_SQL"
}

# db_session: one psql session (a coprocess) for the digests, closed
# before the database stops.
# shellcheck disable=SC2120 # set -- inside, no arguments taken
db_session() {
	[ -z "${_DBQ_PID-}" ] || return 0
	coproc _DBQ { "$PGTMP_BINDIR/psql" -X -qAt 2>&1; }
	eval "set -- $(trap -p EXIT)"
	# shellcheck disable=SC2064 # the old command is expanded on purpose
	trap "_db_close; ${3:-}" EXIT
	_dbq "PREPARE all_state_sum AS $ALL_STATE_SQL;" >/dev/null
	_dbq "PREPARE state_sum AS $STATE_SQL;" >/dev/null
}

_db_close() {
	[ -n "${_DBQ_PID-}" ] || return 0
	local fd=${_DBQ[1]-}
	[ -n "$fd" ] && eval "exec $fd>&-"
	wait "$_DBQ_PID" 2>/dev/null
	_DBQ_PID=
}

# _dbq SQL: run SQL in the session, print its output.
_dbq() {
	local line out=
	printf '%s\n\\echo __end__\n' "$1" >&"${_DBQ[1]}"
	while IFS= read -r line <&"${_DBQ[0]}"; do
		[ "$line" = __end__ ] && break
		out+=${out:+$'\n'}$line
	done
	printf '%s\n' "$out"
}

# --- batches ------------------------------------------------------------------
#
# The matrix sends thousands of requests: one curl process runs a batch of
# them (a config file with one section per request), MATRIX_PARALLEL (2)
# at a time.  batch_add METHOD PATH ACTOR [BODY] queues a request (BODY:
# JSON, sent as application/json) and sets BQ_I to its index;
# batch_run sends the queue; bq_result I sets STATUS, RAWBODY and BODY as
# api does.
BQ_N=0
BQ_CFG=
BQ_STATUS=()

# _cq STRING: STRING quoted for a curl config file, in _CQ.
_cq() {
	_CQ=${1//\\/\\\\}
	_CQ=${_CQ//\"/\\\"}
}

batch_add() {
	local c=${COOKIE[$3]-}
	BQ_I=$BQ_N
	[ "$BQ_N" -gt 0 ] && BQ_CFG+=$'next\n'
	_cq "$2"
	BQ_CFG+="url = \"http://localhost$_CQ\""$'\n'
	BQ_CFG+="unix-socket = \"$T/nginx.sock\""$'\n'"request = \"$1\""$'\n'
	if [ -n "$c" ]; then
		_cq "$c"
		BQ_CFG+="header = \"Cookie: $_CQ\""$'\n'
	fi
	if [ $# -ge 4 ]; then
		_cq "$4"
		BQ_CFG+="header = \"Content-Type: application/json\""$'\n'
		BQ_CFG+="data-binary = \"$_CQ\""$'\n'
	fi
	BQ_CFG+="output = \"$T/bq/$BQ_N.body\""$'\n'
	BQ_CFG+="write-out = \"$BQ_N %{http_code}\\n\""$'\n'
	BQ_CFG+="path-as-is"$'\n'"max-time = ${HTTP_TIMEOUT:-10}"$'\n'
	BQ_N=$((BQ_N + 1))
}

batch_run() {
	local i s
	BQ_STATUS=()
	BQ_RAN=$BQ_N
	[ "$BQ_N" -gt 0 ] || return 0
	rm -rf "$T/bq"
	mkdir -p "$T/bq"
	printf '%s' "$BQ_CFG" >"$T/bq.cfg"
	curl -sS --no-progress-meter --parallel --parallel-max "${MATRIX_PARALLEL:-2}" \
	    -K "$T/bq.cfg" >"$T/bq.out" 2>"$T/bq.err"
	while read -r i s; do
		BQ_STATUS[i]=$s
	done <"$T/bq.out"
	BQ_CFG=
	BQ_N=0
}

bq_result() {
	STATUS=${BQ_STATUS[$1]:-000}
	[ "$STATUS" = 000 ] && [ -s "$T/bq.err" ] && sed 's/^/#   curl: /' "$T/bq.err" | head -n 3
	RAWBODY=
	[ -f "$T/bq/$1.body" ] && IFS= read -r -d '' RAWBODY <"$T/bq/$1.body"
	BODY=$RAWBODY
	while [ "${BODY%$'\n'}" != "$BODY" ]; do BODY=${BODY%$'\n'}; done
	return 0
}
