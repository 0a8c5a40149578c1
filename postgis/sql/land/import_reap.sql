-- Marks failed the running imports that no server holds (migrations
-- 0017_import_jobs.sql): the server that ran them died, its transaction
-- rolled back with it and the layer is the old one. An import is held by
-- the session advisory lock (4, its id) in this database. Returns the
-- folders of their files, to delete.
UPDATE land_imports i
   SET status = 'failed', phase = NULL, finished_at = now(),
       error = jsonb_build_object('code', 'interrupted',
                                  'message', '导入所在的服务器中止（' || coalesce(i.runner, '') || '），导入未完成，原图层未改变',
                                  'message_en', 'the server running the import stopped (' || coalesce(i.runner, '') || '); the layer is unchanged')
 WHERE i.status = 'running'
   AND NOT EXISTS (SELECT 1 FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.granted
                      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.classid = 4 AND l.objid = i.id::oid AND l.objsubid = 2)
RETURNING i.dir
