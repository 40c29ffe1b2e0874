// Generated from openapi.yaml by `npm run client` (openapi-typescript 7.13.0): do not edit.

export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Process and Node metrics, HTTP request durations by route template, Redis command latency and errors, connection state, and session counters, in the Prometheus text format. No session or user ids in label values.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process can serve
         * @description Answers 200 while the process can serve requests, whatever the state of Redis: a Kubernetes liveness probe.
         */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: Redis answers and the process is not shutting down
         * @description Answers 200 when Redis answers a PING within 250 ms and the process is not shutting down, else 503 with the reason: a Kubernetes readiness probe.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health summary: version, uptime and Redis
         * @description The service version and uptime, and the Redis connection: status, topology, PING latency and server version. 503 while Redis is down or the process is shutting down.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a session
         * @description Creates a session for `user_id` (a user token may only create its own). The server makes the id; `kind` decides the default TTL (onboarding: ONBOARDING_TTL_SECONDS, others: SESSION_TTL_SECONDS). With an `Idempotency-Key`, a retry within 24 h returns the first response instead of creating a second session.
         */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a session (slides its expiry unless touch=false)
         * @description Returns the session with its version as `etag`. Reading slides `expires_at` to now + ttl (never past `absolute_expires_at`) unless `touch=false`. Someone else's session is `session_not_found`, exactly like a missing one.
         */
        get: operations["getSession"];
        put?: never;
        post?: never;
        /**
         * Delete a session and everything under it
         * @description Deletes the session with its steps, narrative, scenes, choices, messages and events. A second delete is `session_not_found`.
         */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        /**
         * Change state, safety level, goals, metadata (merge patch) or TTL
         * @description State changes follow the state machine; `completed` is reached only through finalize. A crisis safety level pauses an active or transitioning session in the same change. `metadata` is an RFC 7396 merge patch. Send `if-match` to change only the version you read.
         */
        patch: operations["updateSession"];
        trace?: never;
    };
    "/v1/sessions/{id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session with its progress, steps, narrative contexts and counts
         * @description Everything a frontend needs to resume a session in one read: the session, its progress, every saved step, the live narrative contexts and the number of scenes, choices and messages. Slides the expiry unless `touch=false`.
         */
        get: operations["getSessionSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{user_id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's live sessions, newest first
         * @description The user's sessions that have not expired (finalized ones while they are kept), newest first, optionally only one `state` or `kind`. A user token may list only its own.
         */
        get: operations["listUserSessions"];
        put?: never;
        post?: never;
        /**
         * Erase every session of the user and all data under them (right to erasure)
         * @description Deletes every session of the user, with everything under each, and says how many there were. Running it again deletes nothing more.
         */
        delete: operations["eraseUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/steps/{n}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one saved step
         * @description Returns step `n` as saved; a step that was never saved (or was deleted) is `step_not_found`.
         */
        get: operations["getStep"];
        /**
         * Save (replace) step n; updates progress atomically
         * @description Stores the JSON object as step `n` (1 ≤ n ≤ the session's `total_steps`, else `validation_failed`), replacing what was there, and updates progress in the same atomic change. Any kind of session may have steps.
         */
        put: operations["saveStep"];
        post?: never;
        /**
         * Remove a saved step
         * @description Removes step `n` and updates progress in the same atomic change.
         */
        delete: operations["deleteStep"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/steps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the saved steps in step order, with progress
         * @description Saved steps in ascending step order, paginated with `cursor` and `limit`, with the session's progress.
         */
        get: operations["listSteps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read onboarding progress
         * @description How many of the session's `total_steps` are saved, which ones, and the lowest unsaved step (`next_step`, null when all are saved).
         */
        get: operations["getProgress"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/finalize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finalize a session: complete it and store its result (idempotent)
         * @description Atomically completes the session (state `completed`, `completed_at` set, kept FINALIZED_RETENTION_SECONDS from now) and stores its result: the steps, their shallow merge in step order, the narrative contexts and the metadata. Missing steps are `incomplete_steps` unless `allow_incomplete`. Finalizing again returns the same stored result. The body is optional.
         */
        post: operations["finalizeSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The stored result of a finalized session
         * @description Returns the `Finalized` document that finalize stored, the same every time, for as long as the finalized session is kept (FINALIZED_RETENTION_SECONDS). `not_found` while the session is not finalized. Reading it slides nothing.
         */
        get: operations["getSessionResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/narrative/{context_type}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one narrative context (404 not_found when absent or expired)
         * @description Returns the context stored under `context_type`; one never stored, deleted or expired is `not_found`.
         */
        get: operations["getNarrativeContext"];
        /**
         * Store a narrative context (replaces it; TTL capped at the session's expiry)
         * @description Stores `data` under `context_type` (e.g. `world_state`, `story_variables`), replacing what was there. It expires after `ttl_seconds` (default NARRATIVE_TTL_SECONDS), never after the session.
         */
        put: operations["saveNarrativeContext"];
        post?: never;
        /**
         * Delete one narrative context (404 not_found when absent or expired)
         * @description Invalidates the context stored under `context_type`.
         */
        delete: operations["deleteNarrativeContext"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/narrative": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read every live narrative context
         * @description Every context of the session that has not expired, by `context_type`.
         */
        get: operations["listNarrativeContexts"];
        put?: never;
        post?: never;
        /**
         * Delete every narrative context of the session
         * @description Invalidates every context of the session at once.
         */
        delete: operations["clearNarrativeContexts"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/scenes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Scene history, oldest first
         * @description A page of the scenes entered, oldest first; follow `next_cursor` for the next page.
         */
        get: operations["listScenes"];
        put?: never;
        /**
         * Enter a scene: append it to the history and make it the current scene
         * @description Appends `scene_id` to the scene history and sets the session's `current_scene_id`, which choices must then name.
         */
        post: operations["enterScene"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/choices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Choice history, oldest first
         * @description A page of the choices made, oldest first; follow `next_cursor` for the next page.
         */
        get: operations["listChoices"];
        put?: never;
        /**
         * Record a choice in the current scene (409 scene_mismatch otherwise)
         * @description Appends a choice to the choice history. `scene_id` must be the session's current scene, else `scene_mismatch` says which scene that is.
         */
        post: operations["makeChoice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages in seq order (asc or desc), after a message id
         * @description A page of the chat history, oldest first (`order=asc`) or newest first (`desc`). Follow `next_cursor` for the next page, or pass `after` (a message id) to read only what came after it.
         */
        get: operations["listMessages"];
        put?: never;
        /**
         * Append a message (seq 1, 2, 3 … per session; only the newest MAX_MESSAGES_PER_SESSION are kept)
         * @description Appends a chat message to the session's history and numbers it (`seq`, without gaps, never reused). With an `Idempotency-Key`, a retry within 24 h returns the first response instead of appending twice.
         */
        post: operations["createMessage"];
        /**
         * Clear the chat history (seq keeps counting)
         * @description Removes every message of the session; the next message continues the `seq` numbering.
         */
        delete: operations["clearMessages"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{user_id}/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Progress snapshots, newest first
         * @description A page of the user's snapshots within the retention, newest first; follow `next_cursor` for the next page.
         */
        get: operations["listProgressSnapshots"];
        put?: never;
        /**
         * Record a progress snapshot (kept PROGRESS_RETENTION_SECONDS)
         * @description Records the user's metrics, skills and milestones at this moment, across sessions. With an `Idempotency-Key`, a retry within 24 h returns the first response instead of recording twice.
         */
        post: operations["createProgressSnapshot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{user_id}/progress/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The newest progress snapshot (404 not_found when there is none)
         * @description The user's most recent snapshot; `not_found` when there is none within the retention.
         */
        get: operations["getLatestProgressSnapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The session's events as a Server-Sent Events stream
         * @description Each message: `id` (the session version after the change), `event` (the type), `data` (the event as JSON). Resume with the `last-event-id` header or `?last_event_id=`; `event: resync` when that is older than the retained events. A comment line at least every 15 s. session.deleted and session.expired end the stream.
         */
        get: operations["streamSessionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/finalized": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Page the stream of finalized sessions, oldest first
         * @description Pages the durable stream of finalized results, oldest first, after a stream entry id or a cursor. Downstream services should read the stream itself with a consumer group (docs/finalized-stream.md). Admin API keys only.
         */
        get: operations["listFinalizedSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit trail of changes for one UTC day: time, principal, action, session id, request id
         * @description Every change made through the API on one UTC day (default today), oldest first, kept AUDIT_RETENTION_SECONDS. Admin API keys only.
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/health/redis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Redis diagnostics: server, memory, persistence, keyspace, connection, latency and warnings
         * @description Reads INFO (and the RDB schedule and cluster state) of every server that holds sessions: the one server, the Sentinel-found primary, or every master of a Cluster (`nodes`). `warnings` names settings that lose sessions: an eviction policy that deletes keys with a TTL (allkeys-*, volatile-*), no persistence, a Redis older than 6.2, a failing cluster state. Command latency is this instance's own histogram of Redis operations. `npx sessiond doctor` runs the same checks. Admin API keys only.
         */
        get: operations["getRedisHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live sessions by kind and state, and sessions created, finalized, expired and deleted per day
         * @description Computed without a scan: live sessions are summed from per-slot counters that every change keeps (at most a few seconds old, `live.as_of`); the last 30 UTC days come from one counter hash per day that every instance adds to in batches (within a second of the change). `npx sessiond stats` prints the same. Admin API keys only.
         */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Back up every session with everything under it, as NDJSON
         * @description Streams every live session of this KEY_SYSTEM and KEY_ENV, on every master of a Cluster: the session, its steps, narrative contexts, scenes, choices, messages, event log, finalized result and idempotency records, as stored, with the remaining TTLs. Memory stays constant whatever the number of sessions. The last line is `{"end":true,"sessions":N}`; an export that fails midway ends with `{"error":{"code","detail"}}` instead. Rate-limit counters, the audit trail, daily stats and the finalized stream are not part of it. Admin API keys only; every export is recorded in the audit trail.
         */
        get: operations["exportSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore sessions from an NDJSON backup (idempotent)
         * @description Takes the format of `GET /v1/admin/export`, streamed, up to IMPORT_MAX_BYTES. A session is written, with everything under it, when no live session has its id or the stored one has a lower `version`: importing the same file twice changes nothing. Expiry is absolute (a session expired since the export is skipped); user indexes, expiry indexes and live counters are rebuilt. A line that does not parse or validate is counted as `failed` and nothing of it is written; the report lists the first 100 problems by line. The whole upload must arrive within REQUEST_TIMEOUT_MS: restore large backups with `npx sessiond import <file>`. Admin API keys only.
         */
        post: operations["importSessions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details */
        Problem: {
            /** @description `urn:sessiond:problem:<code>` */
            type: string;
            /** @description Short summary of the code; the same for every occurrence */
            title: string;
            /** @description The HTTP status */
            status: number;
            /** @description What went wrong with this request */
            detail: string;
            /** @description Stable snake_case code: switch on this (docs/errors.md lists them all) */
            code: string;
            /** @description The x-request-id of the response; quote it when reporting a problem */
            request_id: string;
            /** @description validation_failed: each problem with its path (the first 20 at most) */
            errors?: {
                path: string;
                message: string;
            }[];
            /** @description validation_failed: how many problems the request has; `errors` lists the first 20 at most */
            errors_total?: number;
            /** @description version_conflict: the session's version now */
            current_version?: number;
            /** @description incomplete_steps: the unsaved steps */
            missing_steps?: number[];
            /** @description scene_mismatch: the session's current scene */
            current_scene_id?: string | null;
        } & {
            [key: string]: unknown;
        };
        Session: {
            /** @description Session id (server-generated, URL-safe) */
            id: string;
            user_id: string;
            workspace_id: string | null;
            /** @enum {string} */
            kind: "generic" | "onboarding" | "narrative" | "chat";
            /** @enum {string} */
            state: "initializing" | "active" | "paused" | "transitioning" | "completed" | "error";
            /** @enum {string} */
            safety_level: "none" | "low" | "moderate" | "high" | "crisis";
            therapeutic_goals: string[];
            current_scene_id: string | null;
            total_steps: number;
            metadata: {
                [key: string]: unknown;
            };
            ttl_seconds: number;
            version: number;
            schema_version: number;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            created_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            updated_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            expires_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            absolute_expires_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            completed_at: string | null;
        };
        Progress: {
            completed: number;
            total: number;
            /** @description One decimal */
            percent: number;
            /** @description Ascending */
            completed_steps: number[];
            next_step: number | null;
            /**
             * Format: date-time
             * @description RFC 3339 UTC
             */
            updated_at: string | null;
        };
    };
    responses: {
        /** @description `forbidden`: The credential is valid but may not do this: a user acting for another user, or a non-admin key on `/v1/admin`. */
        Forbidden: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "forbidden";
                };
            };
        };
        /** @description `idempotency_key_reused`: This `Idempotency-Key` was used within 24 h for a different body or operation by the same caller. */
        IdempotencyKeyReused: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "idempotency_key_reused";
                };
            };
        };
        /** @description `internal_error`: An unexpected failure in the service; the log line with the same `request_id` says more. */
        InternalError: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "internal_error";
                };
            };
        };
        /**
         * @description `invalid_transition`: The session state machine does not allow moving from the current state to the requested one (and `completed` is reached only through finalize).
         *
         *     `session_finalized`: The session is completed: nothing under it can change any more.
         *
         *     `safety_hold`: The session is paused with `safety_level: crisis` and cannot be resumed.
         */
        InvalidTransitionOrSessionFinalizedOrSafetyHold: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "invalid_transition" | "session_finalized" | "safety_hold";
                };
            };
        };
        /** @description `not_found`: No route at this path, or a resource other than a session or step is absent (a narrative context, a finalized result, a progress snapshot). */
        NotFound: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "not_found";
                };
            };
        };
        /** @description `payload_too_large`: The body is larger than BODY_LIMIT_BYTES (a single field over its own limit is `validation_failed`). */
        PayloadTooLarge: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "payload_too_large";
                };
            };
        };
        /** @description `rate_limited`: This caller (API key, user or client address) used up RATE_LIMIT_MAX requests of the current RATE_LIMIT_WINDOW_MS. */
        RateLimited: {
            headers: {
                "retry-after": components["headers"]["retry-after"];
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "rate_limited";
                };
            };
        };
        /** @description `redis_unavailable`: Redis is down, failing over, or slower than REDIS_COMMAND_TIMEOUT_MS. A write may or may not have been applied. */
        RedisUnavailable: {
            headers: {
                "retry-after": components["headers"]["retry-after"];
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "redis_unavailable";
                };
            };
        };
        /**
         * @description `redis_unavailable`: Redis is down, failing over, or slower than REDIS_COMMAND_TIMEOUT_MS. A write may or may not have been applied.
         *
         *     `service_unavailable`: The service cannot take this request right now (for example, a session changed by so many writers at once that the update could not be applied).
         */
        RedisUnavailableOrServiceUnavailable: {
            headers: {
                "retry-after": components["headers"]["retry-after"];
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "redis_unavailable" | "service_unavailable";
                };
            };
        };
        /**
         * @description `session_finalized`: The session is completed: nothing under it can change any more.
         *
         *     `session_not_writable`: Writes under a session (steps, narrative, scenes, choices, messages) need it `initializing`, `active` or `transitioning`; it is `paused` or `error`.
         */
        SessionFinalizedOrSessionNotWritable: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_finalized" | "session_not_writable";
                };
            };
        };
        /**
         * @description `session_finalized`: The session is completed: nothing under it can change any more.
         *
         *     `session_not_writable`: Writes under a session (steps, narrative, scenes, choices, messages) need it `initializing`, `active` or `transitioning`; it is `paused` or `error`.
         *
         *     `incomplete_steps`: Finalize was asked for while steps are unsaved; `missing_steps` lists them.
         */
        SessionFinalizedOrSessionNotWritableOrIncompleteSteps: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_finalized" | "session_not_writable" | "incomplete_steps";
                };
            };
        };
        /**
         * @description `session_finalized`: The session is completed: nothing under it can change any more.
         *
         *     `session_not_writable`: Writes under a session (steps, narrative, scenes, choices, messages) need it `initializing`, `active` or `transitioning`; it is `paused` or `error`.
         *
         *     `scene_mismatch`: A choice names a `scene_id` other than the session's current scene; `current_scene_id` says which it is.
         */
        SessionFinalizedOrSessionNotWritableOrSceneMismatch: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_finalized" | "session_not_writable" | "scene_mismatch";
                };
            };
        };
        /** @description `session_not_found`: No such session for this caller: it never existed, expired, was deleted, or belongs to someone else. */
        SessionNotFound: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_not_found";
                };
            };
        };
        /**
         * @description `session_not_found`: No such session for this caller: it never existed, expired, was deleted, or belongs to someone else.
         *
         *     `not_found`: No route at this path, or a resource other than a session or step is absent (a narrative context, a finalized result, a progress snapshot).
         */
        SessionNotFoundOrNotFound: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_not_found" | "not_found";
                };
            };
        };
        /**
         * @description `session_not_found`: No such session for this caller: it never existed, expired, was deleted, or belongs to someone else.
         *
         *     `step_not_found`: The session exists but that step has not been saved.
         */
        SessionNotFoundOrStepNotFound: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "session_not_found" | "step_not_found";
                };
            };
        };
        /** @description `unauthorized`: No `authorization: Bearer <token>` header, or the token is unknown, expired or has a bad signature. */
        Unauthorized: {
            headers: {
                "www-authenticate": components["headers"]["www-authenticate"];
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "unauthorized";
                };
            };
        };
        /** @description `unsupported_media_type`: The body is in a media type the route does not take (JSON routes take only `application/json`). */
        UnsupportedMediaType: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "unsupported_media_type";
                };
            };
        };
        /** @description `validation_failed`: The request does not match its schema: a missing, unknown or badly typed field, a value out of range, malformed JSON or URL, a bad cursor or limit. `errors` lists each problem with its path. */
        ValidationFailed: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "validation_failed";
                };
            };
        };
        /** @description `version_conflict`: The `if-match` version is not the session's current one (someone else changed it), or it was a weak tag; `current_version` says where it is. Nothing was changed. */
        VersionConflict: {
            headers: {
                "x-request-id": components["headers"]["x-request-id"];
                "ratelimit-limit": components["headers"]["ratelimit-limit"];
                "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                "ratelimit-reset": components["headers"]["ratelimit-reset"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"] & {
                    /** @enum {string} */
                    code: "version_conflict";
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The session version as a strong entity tag; send it back in `if-match` to change only that version */
        etag: string;
        /** @description Path of the created resource */
        location: string;
        /** @description Present when this is the stored response of an earlier request with the same Idempotency-Key */
        "idempotent-replayed": "true";
        /** @description Seconds to wait before retrying */
        "retry-after": number;
        /** @description The bearer challenge, with `error="invalid_token"` when a token was sent but is not valid */
        "www-authenticate": string;
        /** @description The incoming x-request-id when it is 1-128 chars of [A-Za-z0-9._-], else a generated one; problem bodies carry it as request_id */
        "x-request-id": string;
        /** @description Requests this caller may make per window (RATE_LIMIT_MAX) */
        "ratelimit-limit": number;
        /** @description Requests left in the current window */
        "ratelimit-remaining": number;
        /** @description Seconds until the current window ends */
        "ratelimit-reset": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        reason?: string;
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        reason?: string;
                    };
                };
            };
            /** @description Not ready: Redis does not answer, or the process is shutting down */
            503: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                        reason?: string;
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "degraded" | "shutting_down";
                        version: string;
                        uptime_s: number;
                        redis: {
                            /** @enum {string} */
                            status: "up" | "down";
                            /** @enum {string} */
                            mode: "standalone" | "cluster" | "sentinel";
                            latency_ms: number | null;
                            version: string | null;
                        };
                    };
                };
            };
            /** @description Degraded (Redis down) or shutting down */
            503: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "degraded" | "shutting_down";
                        version: string;
                        uptime_s: number;
                        redis: {
                            /** @enum {string} */
                            status: "up" | "down";
                            /** @enum {string} */
                            mode: "standalone" | "cluster" | "sentinel";
                            latency_ms: number | null;
                            version: string | null;
                        };
                    };
                };
            };
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replays the first response for 24 h */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "user_id": "user-42",
                 *       "kind": "onboarding",
                 *       "total_steps": 3,
                 *       "metadata": {
                 *         "locale": "en-GB",
                 *         "source": "signup"
                 *       }
                 *     }
                 */
                "application/json": {
                    user_id: string;
                    workspace_id?: string;
                    /** @enum {string} */
                    kind?: "generic" | "onboarding" | "narrative" | "chat";
                    /** @enum {string} */
                    state?: "initializing" | "active";
                    ttl_seconds?: number;
                    total_steps?: number;
                    /** @enum {string} */
                    safety_level?: "none" | "low" | "moderate" | "high" | "crisis";
                    therapeutic_goals?: string[];
                    /** @description Free JSON object, at most 16 KiB serialized */
                    metadata?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The new session, at version 1 */
            201: {
                headers: {
                    location: components["headers"]["location"];
                    etag: components["headers"]["etag"];
                    "idempotent-replayed": components["headers"]["idempotent-replayed"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "hJ3k9Qx2LmN8pR4tV6wY1zAb",
                     *       "user_id": "user-42",
                     *       "workspace_id": null,
                     *       "kind": "onboarding",
                     *       "state": "active",
                     *       "safety_level": "none",
                     *       "therapeutic_goals": [],
                     *       "current_scene_id": null,
                     *       "total_steps": 3,
                     *       "metadata": {
                     *         "locale": "en-GB",
                     *         "source": "signup"
                     *       },
                     *       "ttl_seconds": 604800,
                     *       "version": 1,
                     *       "schema_version": 2,
                     *       "created_at": "2026-11-22T10:00:00.000Z",
                     *       "updated_at": "2026-11-22T10:00:00.000Z",
                     *       "expires_at": "2026-11-29T10:00:00.000Z",
                     *       "absolute_expires_at": "2026-12-22T10:00:00.000Z",
                     *       "completed_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["Session"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getSession: {
        parameters: {
            query?: {
                /** @description false reads without sliding the expiry */
                touch?: boolean;
            };
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "hJ3k9Qx2LmN8pR4tV6wY1zAb",
                     *       "user_id": "user-42",
                     *       "workspace_id": null,
                     *       "kind": "onboarding",
                     *       "state": "active",
                     *       "safety_level": "none",
                     *       "therapeutic_goals": [],
                     *       "current_scene_id": null,
                     *       "total_steps": 3,
                     *       "metadata": {
                     *         "locale": "en-GB",
                     *         "source": "signup"
                     *       },
                     *       "ttl_seconds": 604800,
                     *       "version": 1,
                     *       "schema_version": 2,
                     *       "created_at": "2026-11-22T10:00:00.000Z",
                     *       "updated_at": "2026-11-22T10:00:00.000Z",
                     *       "expires_at": "2026-11-29T10:00:00.000Z",
                     *       "absolute_expires_at": "2026-12-22T10:00:00.000Z",
                     *       "completed_at": null
                     *     }
                     */
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    updateSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "state": "paused",
                 *       "metadata": {
                 *         "paused_by": "coach"
                 *       }
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    state?: "initializing" | "active" | "paused" | "transitioning" | "completed" | "error";
                    /** @enum {string} */
                    safety_level?: "none" | "low" | "moderate" | "high" | "crisis";
                    therapeutic_goals?: string[];
                    /** @description RFC 7396 merge patch applied to metadata */
                    metadata?: {
                        [key: string]: unknown;
                    } | null;
                    ttl_seconds?: number;
                };
            };
        };
        responses: {
            /** @description The changed session */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["InvalidTransitionOrSessionFinalizedOrSafetyHold"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailableOrServiceUnavailable"];
        };
    };
    getSessionSummary: {
        parameters: {
            query?: {
                /** @description false reads without sliding the expiry */
                touch?: boolean;
            };
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        session: components["schemas"]["Session"];
                        progress: components["schemas"]["Progress"];
                        steps: {
                            step: number;
                            data: {
                                [key: string]: unknown;
                            };
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            saved_at: string | null;
                        }[];
                        narrative: {
                            [key: string]: {
                                data: {
                                    [key: string]: unknown;
                                };
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                updated_at: string | null;
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                expires_at: string | null;
                            };
                        };
                        counts: {
                            scenes: number;
                            choices: number;
                            messages: number;
                        };
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listUserSessions: {
        parameters: {
            query?: {
                state?: "initializing" | "active" | "paused" | "transitioning" | "completed" | "error";
                kind?: "generic" | "onboarding" | "narrative" | "chat";
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sessions: components["schemas"]["Session"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    eraseUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many sessions were deleted */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "deleted": 3
                     *     }
                     */
                    "application/json": {
                        deleted: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getStep: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description Step number, 1 ≤ n ≤ the session's total_steps */
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The step; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        step: number;
                        data: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        saved_at: string | null;
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFoundOrStepNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    saveStep: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description Step number, 1 ≤ n ≤ the session's total_steps */
                n: number;
            };
            cookie?: never;
        };
        /** @description The step's data: a JSON object, at most 64 KiB serialized */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "sleep_hours": 6,
                 *       "goal": "Fall asleep before midnight"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description The saved step with the new progress; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "step": 2,
                     *       "data": {
                     *         "sleep_hours": 6,
                     *         "goal": "Fall asleep before midnight"
                     *       },
                     *       "saved_at": "2026-11-22T10:04:10.000Z",
                     *       "progress": {
                     *         "completed": 2,
                     *         "total": 3,
                     *         "percent": 66.7,
                     *         "completed_steps": [
                     *           1,
                     *           2
                     *         ],
                     *         "next_step": 3,
                     *         "updated_at": "2026-11-22T10:04:10.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        step: number;
                        data: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        saved_at: string | null;
                        progress: components["schemas"]["Progress"];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    deleteStep: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description Step number, 1 ≤ n ≤ the session's total_steps */
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed; `etag` is the new session version */
            204: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFoundOrStepNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listSteps: {
        parameters: {
            query?: {
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of steps; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        steps: {
                            step: number;
                            data: {
                                [key: string]: unknown;
                            };
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            saved_at: string | null;
                        }[];
                        progress: components["schemas"]["Progress"];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getProgress: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The progress; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Progress"];
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    finalizeSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional: no body is the default, {} */
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "allow_incomplete": false
                 *     }
                 */
                "application/json": {
                    /**
                     * @description Finalize even when steps are missing
                     * @default false
                     */
                    allow_incomplete?: boolean;
                };
            };
        };
        responses: {
            /** @description The stored result; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "session": {
                     *         "id": "hJ3k9Qx2LmN8pR4tV6wY1zAb",
                     *         "user_id": "user-42",
                     *         "workspace_id": null,
                     *         "kind": "onboarding",
                     *         "state": "completed",
                     *         "safety_level": "none",
                     *         "therapeutic_goals": [],
                     *         "current_scene_id": null,
                     *         "total_steps": 3,
                     *         "metadata": {
                     *           "locale": "en-GB",
                     *           "source": "signup"
                     *         },
                     *         "ttl_seconds": 604800,
                     *         "version": 5,
                     *         "schema_version": 2,
                     *         "created_at": "2026-11-22T10:00:00.000Z",
                     *         "updated_at": "2026-11-22T10:06:00.000Z",
                     *         "expires_at": "2026-11-29T10:06:00.000Z",
                     *         "absolute_expires_at": "2026-12-22T10:00:00.000Z",
                     *         "completed_at": "2026-11-22T10:06:00.000Z"
                     *       },
                     *       "progress": {
                     *         "completed": 3,
                     *         "total": 3,
                     *         "percent": 100,
                     *         "completed_steps": [
                     *           1,
                     *           2,
                     *           3
                     *         ],
                     *         "next_step": null,
                     *         "updated_at": "2026-11-22T10:05:20.000Z"
                     *       },
                     *       "context": {
                     *         "steps": {
                     *           "1": {
                     *             "name": "Ada",
                     *             "timezone": "Europe/London"
                     *           },
                     *           "2": {
                     *             "sleep_hours": 6,
                     *             "goal": "Fall asleep before midnight"
                     *           },
                     *           "3": {
                     *             "reminders": true,
                     *             "goal": "Sleep seven hours"
                     *           }
                     *         },
                     *         "merged": {
                     *           "name": "Ada",
                     *           "timezone": "Europe/London",
                     *           "sleep_hours": 6,
                     *           "goal": "Sleep seven hours",
                     *           "reminders": true
                     *         },
                     *         "narrative": {},
                     *         "metadata": {
                     *           "locale": "en-GB",
                     *           "source": "signup"
                     *         }
                     *       },
                     *       "finalized_at": "2026-11-22T10:06:00.000Z"
                     *     }
                     */
                    "application/json": {
                        session: components["schemas"]["Session"];
                        progress: components["schemas"]["Progress"];
                        context: {
                            /** @description Saved step data by step number */
                            steps: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            /** @description Shallow merge of the step objects in step order (later steps win) */
                            merged: {
                                [key: string]: unknown;
                            };
                            /** @description Live narrative contexts by context type */
                            narrative: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            metadata: {
                                [key: string]: unknown;
                            };
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        finalized_at: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritableOrIncompleteSteps"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailableOrServiceUnavailable"];
        };
    };
    getSessionResult: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored result; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "session": {
                     *         "id": "hJ3k9Qx2LmN8pR4tV6wY1zAb",
                     *         "user_id": "user-42",
                     *         "workspace_id": null,
                     *         "kind": "onboarding",
                     *         "state": "completed",
                     *         "safety_level": "none",
                     *         "therapeutic_goals": [],
                     *         "current_scene_id": null,
                     *         "total_steps": 3,
                     *         "metadata": {
                     *           "locale": "en-GB",
                     *           "source": "signup"
                     *         },
                     *         "ttl_seconds": 604800,
                     *         "version": 5,
                     *         "schema_version": 2,
                     *         "created_at": "2026-11-22T10:00:00.000Z",
                     *         "updated_at": "2026-11-22T10:06:00.000Z",
                     *         "expires_at": "2026-11-29T10:06:00.000Z",
                     *         "absolute_expires_at": "2026-12-22T10:00:00.000Z",
                     *         "completed_at": "2026-11-22T10:06:00.000Z"
                     *       },
                     *       "progress": {
                     *         "completed": 3,
                     *         "total": 3,
                     *         "percent": 100,
                     *         "completed_steps": [
                     *           1,
                     *           2,
                     *           3
                     *         ],
                     *         "next_step": null,
                     *         "updated_at": "2026-11-22T10:05:20.000Z"
                     *       },
                     *       "context": {
                     *         "steps": {
                     *           "1": {
                     *             "name": "Ada",
                     *             "timezone": "Europe/London"
                     *           },
                     *           "2": {
                     *             "sleep_hours": 6,
                     *             "goal": "Fall asleep before midnight"
                     *           },
                     *           "3": {
                     *             "reminders": true,
                     *             "goal": "Sleep seven hours"
                     *           }
                     *         },
                     *         "merged": {
                     *           "name": "Ada",
                     *           "timezone": "Europe/London",
                     *           "sleep_hours": 6,
                     *           "goal": "Sleep seven hours",
                     *           "reminders": true
                     *         },
                     *         "narrative": {},
                     *         "metadata": {
                     *           "locale": "en-GB",
                     *           "source": "signup"
                     *         }
                     *       },
                     *       "finalized_at": "2026-11-22T10:06:00.000Z"
                     *     }
                     */
                    "application/json": {
                        session: components["schemas"]["Session"];
                        progress: components["schemas"]["Progress"];
                        context: {
                            /** @description Saved step data by step number */
                            steps: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            /** @description Shallow merge of the step objects in step order (later steps win) */
                            merged: {
                                [key: string]: unknown;
                            };
                            /** @description Live narrative contexts by context type */
                            narrative: {
                                [key: string]: {
                                    [key: string]: unknown;
                                };
                            };
                            metadata: {
                                [key: string]: unknown;
                            };
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        finalized_at: string;
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFoundOrNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getNarrativeContext: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description e.g. world_state, story_variables */
                context_type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The context; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description e.g. world_state, story_variables */
                        context_type: string;
                        data: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        updated_at: string;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        expires_at: string;
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFoundOrNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    saveNarrativeContext: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description e.g. world_state, story_variables */
                context_type: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "chapter": 2,
                 *         "weather": "storm"
                 *       },
                 *       "ttl_seconds": 3600
                 *     }
                 */
                "application/json": {
                    /** @description The context, a JSON object of at most 64 KiB serialized */
                    data: {
                        [key: string]: unknown;
                    };
                    /** @description Default NARRATIVE_TTL_SECONDS; capped at the session's expiry (a longer value is accepted and capped) */
                    ttl_seconds?: number;
                };
            };
        };
        responses: {
            /** @description The stored context; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description e.g. world_state, story_variables */
                        context_type: string;
                        data: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        updated_at: string;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        expires_at: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    deleteNarrativeContext: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
                /** @description e.g. world_state, story_variables */
                context_type: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; `etag` is the new session version */
            204: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFoundOrNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listNarrativeContexts: {
        parameters: {
            query?: never;
            header?: {
                /** @description The version(s) the client holds, as "<version>"; when it is current the answer is 304 without a body */
                "if-none-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live contexts; `etag` is the session version */
            200: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Every live context by context_type; expired ones are absent */
                        contexts: {
                            [key: string]: {
                                data: {
                                    [key: string]: unknown;
                                };
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                updated_at: string;
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                expires_at: string;
                            };
                        };
                    };
                };
            };
            /** @description Not modified: the version named in if-none-match is current (no body) */
            304: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    clearNarrativeContexts: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted; `etag` is the new session version */
            204: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listScenes: {
        parameters: {
            query?: {
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of scenes */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        scenes: {
                            /** @description This entry of the history */
                            id: string;
                            scene_id: string;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            entered_at: string;
                            /** @description Position since the first scene ever entered (stable when old entries are trimmed) */
                            index: number;
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    enterScene: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replays the first response for 24 h */
                "idempotency-key"?: string;
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "scene_id": "harbor"
                 *     }
                 */
                "application/json": {
                    scene_id: string;
                };
            };
        };
        responses: {
            /** @description The history entry; `etag` is the session version */
            201: {
                headers: {
                    etag: components["headers"]["etag"];
                    "idempotent-replayed": components["headers"]["idempotent-replayed"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This entry of the history */
                        id: string;
                        scene_id: string;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        entered_at: string;
                        /** @description Position since the first scene ever entered (stable when old entries are trimmed) */
                        index: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listChoices: {
        parameters: {
            query?: {
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of choices */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        choices: {
                            /** @description This entry of the history */
                            id: string;
                            scene_id: string;
                            choice_id: string;
                            label: string | null;
                            data: {
                                [key: string]: unknown;
                            } | null;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            made_at: string;
                            /** @description Position since the first choice ever made (stable when old entries are trimmed) */
                            index: number;
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    makeChoice: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replays the first response for 24 h */
                "idempotency-key"?: string;
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "scene_id": "harbor",
                 *       "choice_id": "board-the-ship",
                 *       "label": "Board the ship"
                 *     }
                 */
                "application/json": {
                    scene_id: string;
                    choice_id: string;
                    label?: string;
                    /** @description Free JSON object, at most 16 KiB serialized */
                    data?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The history entry; `etag` is the session version */
            201: {
                headers: {
                    etag: components["headers"]["etag"];
                    "idempotent-replayed": components["headers"]["idempotent-replayed"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This entry of the history */
                        id: string;
                        scene_id: string;
                        choice_id: string;
                        label: string | null;
                        data: {
                            [key: string]: unknown;
                        } | null;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        made_at: string;
                        /** @description Position since the first choice ever made (stable when old entries are trimmed) */
                        index: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritableOrSceneMismatch"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listMessages: {
        parameters: {
            query?: {
                /** @description Messages after this message id in the listing order */
                after?: string;
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
                /** @description asc: oldest first; desc: newest first */
                order?: "asc" | "desc";
            };
            header?: never;
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "messages": [
                     *         {
                     *           "id": "yl3zpckcdYk4Pn2SR1VCq0aB",
                     *           "seq": 1,
                     *           "role": "user",
                     *           "content": "I could not sleep again last night.",
                     *           "name": null,
                     *           "metadata": null,
                     *           "created_at": "2026-11-22T10:02:30.000Z"
                     *         }
                     *       ],
                     *       "next_cursor": null
                     *     }
                     */
                    "application/json": {
                        messages: {
                            /** @description A message id */
                            id: string;
                            /** @description 1, 2, 3 … per session, no gaps; not reset when the history is cleared */
                            seq: number;
                            /** @enum {string} */
                            role: "user" | "assistant" | "system" | "tool";
                            content: string;
                            name: string | null;
                            metadata: {
                                [key: string]: unknown;
                            } | null;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            created_at: string;
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    createMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replays the first response for 24 h */
                "idempotency-key"?: string;
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "role": "user",
                 *       "content": "I could not sleep again last night."
                 *     }
                 */
                "application/json": {
                    /** @enum {string} */
                    role: "user" | "assistant" | "system" | "tool";
                    content: string;
                    name?: string;
                    /** @description Free JSON object, at most 16 KiB serialized */
                    metadata?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The stored message; `etag` is the session version */
            201: {
                headers: {
                    etag: components["headers"]["etag"];
                    "idempotent-replayed": components["headers"]["idempotent-replayed"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "yl3zpckcdYk4Pn2SR1VCq0aB",
                     *       "seq": 1,
                     *       "role": "user",
                     *       "content": "I could not sleep again last night.",
                     *       "name": null,
                     *       "metadata": null,
                     *       "created_at": "2026-11-22T10:02:30.000Z"
                     *     }
                     */
                    "application/json": {
                        /** @description A message id */
                        id: string;
                        /** @description 1, 2, 3 … per session, no gaps; not reset when the history is cleared */
                        seq: number;
                        /** @enum {string} */
                        role: "user" | "assistant" | "system" | "tool";
                        content: string;
                        name: string | null;
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        created_at: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    clearMessages: {
        parameters: {
            query?: never;
            header?: {
                /** @description Expected session version, as "<version>" (a strong tag: W/"3" never matches) */
                "if-match"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cleared; `etag` is the new session version */
            204: {
                headers: {
                    etag: components["headers"]["etag"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            409: components["responses"]["SessionFinalizedOrSessionNotWritable"];
            412: components["responses"]["VersionConflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listProgressSnapshots: {
        parameters: {
            query?: {
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of snapshots */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        snapshots: {
                            id: string;
                            user_id: string;
                            metrics: {
                                [key: string]: number;
                            };
                            skills_developed: string[];
                            milestones_achieved: number;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            created_at: string;
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    createProgressSnapshot: {
        parameters: {
            query?: never;
            header?: {
                /** @description Replays the first response for 24 h */
                "idempotency-key"?: string;
            };
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "metrics": {
                 *         "mood": 7,
                 *         "sleep_hours": 6.5
                 *       },
                 *       "skills_developed": [
                 *         "breathing"
                 *       ],
                 *       "milestones_achieved": 2
                 *     }
                 */
                "application/json": {
                    /** @description Metric name (1-64 chars of [A-Za-z0-9_.:-]) → number */
                    metrics: {
                        [key: string]: number;
                    };
                    skills_developed?: string[];
                    milestones_achieved?: number;
                };
            };
        };
        responses: {
            /** @description The stored snapshot */
            201: {
                headers: {
                    "idempotent-replayed": components["headers"]["idempotent-replayed"];
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        user_id: string;
                        metrics: {
                            [key: string]: number;
                        };
                        skills_developed: string[];
                        milestones_achieved: number;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        created_at: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getLatestProgressSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest snapshot */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        user_id: string;
                        metrics: {
                            [key: string]: number;
                        };
                        skills_developed: string[];
                        milestones_achieved: number;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        created_at: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    streamSessionEvents: {
        parameters: {
            query?: {
                /** @description The last event id the client received (a session version) */
                last_event_id?: string;
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                /** @description Session id (server-generated, URL-safe) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A stream of events */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": {
                        /** @enum {string} */
                        type: "session.created" | "session.updated" | "session.state_changed" | "session.paused" | "step.saved" | "step.deleted" | "narrative.updated" | "scene.entered" | "choice.made" | "message.created" | "session.finalized" | "session.deleted" | "session.expired";
                        /** @description Session id (server-generated, URL-safe) */
                        session_id: string;
                        /** @description The session version after the change (the last version + 1 for session.deleted and session.expired) */
                        version: number;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        at: string;
                        data: {
                            /** @enum {string} */
                            kind: "generic" | "onboarding" | "narrative" | "chat";
                        } | {
                            /** @description The fields (or `messages`) that changed */
                            changed: string[];
                        } | {
                            /** @enum {string} */
                            from: "initializing" | "active" | "paused" | "transitioning" | "completed" | "error";
                            /** @enum {string} */
                            to: "initializing" | "active" | "paused" | "transitioning" | "completed" | "error";
                        } | {
                            /** @enum {string} */
                            reason: "safety" | "requested";
                        } | {
                            step: number;
                        } | {
                            step: number;
                        } | {
                            /** @enum {string} */
                            action: "stored" | "deleted";
                            context_types: string[];
                        } | {
                            entry_id: string;
                            scene_id: string;
                            index: number;
                        } | {
                            entry_id: string;
                            scene_id: string;
                            choice_id: string;
                            index: number;
                        } | {
                            message_id: string;
                            seq: number;
                            /** @enum {string} */
                            role: "user" | "assistant" | "system" | "tool";
                        } | {
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            finalized_at: string;
                            completed: number;
                            total: number;
                        } | Record<string, never> | Record<string, never>;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["SessionNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailableOrServiceUnavailable"];
        };
    };
    listFinalizedSessions: {
        parameters: {
            query?: {
                /** @description Entries after this stream entry id (exclusive) */
                after?: string;
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of finalized results */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            /** @description Redis Stream entry id */
                            id: string;
                            /** @description Session id (server-generated, URL-safe) */
                            session_id: string;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            finalized_at: string;
                            result: {
                                session: components["schemas"]["Session"];
                                progress: components["schemas"]["Progress"];
                                context: {
                                    /** @description Saved step data by step number */
                                    steps: {
                                        [key: string]: {
                                            [key: string]: unknown;
                                        };
                                    };
                                    /** @description Shallow merge of the step objects in step order (later steps win) */
                                    merged: {
                                        [key: string]: unknown;
                                    };
                                    /** @description Live narrative contexts by context type */
                                    narrative: {
                                        [key: string]: {
                                            [key: string]: unknown;
                                        };
                                    };
                                    metadata: {
                                        [key: string]: unknown;
                                    };
                                };
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                finalized_at: string;
                            };
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                /** @description UTC day (YYYY-MM-DD); default today */
                date?: string;
                /** @description Opaque cursor from next_cursor */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: {
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            at: string;
                            /** @description "service:<key name>", "admin:<key name>" or "user:<sub>" */
                            principal: string;
                            /** @description Method and route template, e.g. "PATCH /v1/sessions/:id" */
                            action: string;
                            /** @description HTTP status of the change */
                            status: number;
                            /** @description Session id (server-generated, URL-safe) */
                            session_id: string | null;
                            request_id: string;
                        }[];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getRedisHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Diagnostics of the Redis behind sessiond */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode: "standalone" | "cluster" | "sentinel";
                        /** @description redis_version */
                        version: string;
                        /** @description master or replica */
                        role: string;
                        uptime_s: number;
                        memory: {
                            used_bytes: number;
                            /** @description 0: no limit */
                            maxmemory_bytes: number;
                            /** @description maxmemory-policy, e.g. noeviction */
                            policy: string;
                        };
                        persistence: {
                            /** @description Append-only file on */
                            aof: boolean;
                            /** @description RDB snapshots scheduled (`save`); null when CONFIG GET is not allowed (managed Redis) */
                            rdb: boolean | null;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            rdb_last_save_at: string | null;
                        };
                        /** @description Every key of the server (all databases), not only sessiond's */
                        keyspace: {
                            keys: number;
                            expires: number;
                        };
                        /** @description Connected clients */
                        clients: number;
                        /** @description Every master of a Cluster; the one server otherwise. The top-level figures sum them (memory, keys, clients) or take the weakest (version, uptime) */
                        nodes: {
                            /** @description host:port */
                            address: string;
                            /** @description redis_version */
                            version: string;
                            /** @description master or replica */
                            role: string;
                            uptime_s: number;
                            memory: {
                                used_bytes: number;
                                /** @description 0: no limit */
                                maxmemory_bytes: number;
                                /** @description maxmemory-policy, e.g. noeviction */
                                policy: string;
                            };
                            persistence: {
                                /** @description Append-only file on */
                                aof: boolean;
                                /** @description RDB snapshots scheduled (`save`); null when CONFIG GET is not allowed (managed Redis) */
                                rdb: boolean | null;
                                /**
                                 * Format: date-time
                                 * @description RFC 3339 UTC
                                 */
                                rdb_last_save_at: string | null;
                            };
                            /** @description Every key of the server (all databases), not only sessiond's */
                            keyspace: {
                                keys: number;
                                expires: number;
                            };
                            /** @description Connected clients */
                            clients: number;
                            /** @description CLUSTER INFO cluster_state (ok, fail); null outside a Cluster */
                            cluster_state: string | null;
                        }[];
                        pool: {
                            /** @description The client connection: ready, connecting, reconnecting, end … */
                            status: string;
                            /** @description Commands sent and not yet answered */
                            pending_commands: number;
                        };
                        command_latency_ms: {
                            p50: number | null;
                            p99: number | null;
                            samples: number;
                            /** @description Where the figures come from: this instance's sessiond_redis_command_duration_seconds histogram since it started (bucket-interpolated, like histogram_quantile), or PINGs */
                            source: string;
                        };
                        /** @description Settings that lose sessions; empty when none */
                        warnings: {
                            /**
                             * @description What is wrong: a setting that can lose sessions
                             * @enum {string}
                             */
                            code: "eviction_policy" | "no_persistence" | "old_version" | "cluster_state";
                            /** @description The server it concerns (host:port) */
                            node: string;
                            /** @description What is wrong, in a sentence */
                            message: string;
                            /** @description What to change */
                            fix: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    getStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Session statistics */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Sessions that exist now (finalized ones while they are kept), summed from per-slot counters the changes keep; up to a few seconds old (`as_of`) */
                        live: {
                            /** @description Live sessions by kind */
                            by_kind: {
                                generic: number;
                                onboarding: number;
                                narrative: number;
                                chat: number;
                            };
                            /** @description Live sessions by state */
                            by_state: {
                                initializing: number;
                                active: number;
                                paused: number;
                                transitioning: number;
                                completed: number;
                                error: number;
                            };
                            total: number;
                            /**
                             * Format: date-time
                             * @description RFC 3339 UTC
                             */
                            as_of: string;
                        };
                        /** @description The last 30 UTC days, oldest first, today last */
                        days: {
                            /** @description UTC day */
                            date: string;
                            created: number;
                            finalized: number;
                            expired: number;
                            deleted: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    exportSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newline-delimited JSON: a header line, one line per session, then `{"end":true,"sessions":N}` (or `{"error":{…}}` when the export failed midway) */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": {
                        /** @enum {string} */
                        format: "sessiond-export";
                        /** @enum {number} */
                        format_version: 1;
                        /**
                         * Format: date-time
                         * @description RFC 3339 UTC
                         */
                        exported_at: string;
                        source: {
                            key_system: string;
                            key_env: string;
                        };
                    } | {
                        /** @description The session hash as stored: every field a string, times in ms since the epoch */
                        session: {
                            [key: string]: string;
                        };
                        /** @description Remaining time until expires_at at export (the import keeps the absolute expires_at) */
                        ttl_ms: number;
                        /** @description Element n-1 is step n: "<saved_at_ms>|<data JSON>", or "" when not saved */
                        steps: string[];
                        /** @description Context type → stored context JSON with its own expiry */
                        narrative: {
                            [key: string]: string;
                        };
                        /** @description Remaining time of each context at export */
                        narrative_ttl_ms: {
                            [key: string]: number;
                        };
                        /** @description Scene history entries (JSON), oldest first */
                        scenes: string[];
                        /** @description Choice history entries (JSON), oldest first */
                        choices: string[];
                        /** @description Messages (JSON), oldest first; seqs end at session.message_seq */
                        messages: string[];
                        /** @description The event log, oldest first: "[version, at_ms, code, …values]" */
                        events: string[];
                        /** @description The stored Finalized result (JSON) */
                        finalized: string | null;
                        /** @description Idempotency-Key records of requests under the session */
                        idempotency: {
                            [key: string]: string;
                        };
                    } | {
                        /** @enum {boolean} */
                        end: true;
                        sessions: number;
                    } | {
                        error: {
                            code: string;
                            detail: string;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
    importSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-ndjson": {
                    /** @enum {string} */
                    format: "sessiond-export";
                    /** @enum {number} */
                    format_version: 1;
                    /**
                     * Format: date-time
                     * @description RFC 3339 UTC
                     */
                    exported_at: string;
                    source: {
                        key_system: string;
                        key_env: string;
                    };
                } | {
                    /** @description The session hash as stored: every field a string, times in ms since the epoch */
                    session: {
                        [key: string]: string;
                    };
                    /** @description Remaining time until expires_at at export (the import keeps the absolute expires_at) */
                    ttl_ms: number;
                    /** @description Element n-1 is step n: "<saved_at_ms>|<data JSON>", or "" when not saved */
                    steps: string[];
                    /** @description Context type → stored context JSON with its own expiry */
                    narrative: {
                        [key: string]: string;
                    };
                    /** @description Remaining time of each context at export */
                    narrative_ttl_ms: {
                        [key: string]: number;
                    };
                    /** @description Scene history entries (JSON), oldest first */
                    scenes: string[];
                    /** @description Choice history entries (JSON), oldest first */
                    choices: string[];
                    /** @description Messages (JSON), oldest first; seqs end at session.message_seq */
                    messages: string[];
                    /** @description The event log, oldest first: "[version, at_ms, code, …values]" */
                    events: string[];
                    /** @description The stored Finalized result (JSON) */
                    finalized: string | null;
                    /** @description Idempotency-Key records of requests under the session */
                    idempotency: {
                        [key: string]: string;
                    };
                } | {
                    /** @enum {boolean} */
                    end: true;
                    sessions: number;
                } | {
                    error: {
                        code: string;
                        detail: string;
                    };
                };
            };
        };
        responses: {
            /** @description What was imported, skipped and failed */
            200: {
                headers: {
                    "x-request-id": components["headers"]["x-request-id"];
                    "ratelimit-limit": components["headers"]["ratelimit-limit"];
                    "ratelimit-remaining": components["headers"]["ratelimit-remaining"];
                    "ratelimit-reset": components["headers"]["ratelimit-reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "imported": 1200,
                     *       "skipped": 3,
                     *       "failed": 1,
                     *       "complete": true,
                     *       "errors": [
                     *         {
                     *           "line": 57,
                     *           "code": "invalid_session",
                     *           "detail": "session.state is not valid"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        imported: number;
                        /** @description Sessions already stored at the same or a newer version, or expired since the export */
                        skipped: number;
                        /** @description Session lines that did not parse or validate: nothing of them was written */
                        failed: number;
                        /** @description The body ended with its end line and the count matched: the backup was whole */
                        complete: boolean;
                        /** @description The first 100 problems, by line */
                        errors: {
                            /** @description Line number in the body, from 1 */
                            line: number;
                            /** @description invalid_json, invalid_line, invalid_session, line_too_long, missing_encryption_key, write_failed (the line); export_failed, count_mismatch, truncated (the file) */
                            code: string;
                            detail: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["RedisUnavailable"];
        };
    };
}
