-- synclens: db=../app.db
-- What the sync engine would send next: operations below maxRetries (5), oldest first.
SELECT "id", "entityType", "entityId", "operation", "retryCount",
       datetime("createdAt" / 1000, 'unixepoch') AS "created",
       datetime("lastAttempt" / 1000, 'unixepoch') AS "lastAttempted",
       "lastError"
  FROM "sync_operations"
 WHERE "retryCount" < 5
 ORDER BY "createdAt", "id";

-- Users with local changes the server has not seen, and how many operations each has queued.
SELECT u."odid", u."name", u."email", u."version",
       datetime(u."updatedAt" / 1000, 'unixepoch') AS "updated",
       count(o."id") AS "queuedOperations"
  FROM "users" AS u
  LEFT JOIN "sync_operations" AS o
    ON o."entityType" = 'users' AND o."entityId" = u."odid"
 WHERE u."isSynced" = 0
 GROUP BY u."id"
 ORDER BY u."updatedAt" DESC;
