-- Written by hand: Prisma cannot express triggers. The migration runner (@prisma/adapter-pg's
-- executeScript) splits scripts at every semicolon, even inside quotes, so the function bodies
-- are E'' strings that spell their semicolons as \073.
-- ResponseTag and ResponseProject copy their response's feedbackDate (and ResponseTag its
-- sentiment) so list filters by tag/project + date range and tag statistics are index range
-- scans that never visit Response. The triggers keep the copies right whoever inserts the rows
-- (services, CSV imports, seeds) and when a response's date or sentiment changes later.

CREATE FUNCTION feedback_copy_response_columns() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_TABLE_NAME = ''ResponseTag'' THEN
    SELECT r."feedbackDate", r.sentiment INTO NEW."feedbackDate", NEW.sentiment FROM "Response" r WHERE r.id = NEW."responseId"\073
  ELSE
    SELECT r."feedbackDate" INTO NEW."feedbackDate" FROM "Response" r WHERE r.id = NEW."responseId"\073
  END IF\073
  RETURN NEW\073
END
';

CREATE TRIGGER response_tag_copy BEFORE INSERT OR UPDATE OF "responseId" ON "ResponseTag"
  FOR EACH ROW EXECUTE FUNCTION feedback_copy_response_columns();
CREATE TRIGGER response_project_copy BEFORE INSERT OR UPDATE OF "responseId" ON "ResponseProject"
  FOR EACH ROW EXECUTE FUNCTION feedback_copy_response_columns();

CREATE FUNCTION feedback_follow_response_columns() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "ResponseTag" SET "feedbackDate" = NEW."feedbackDate", sentiment = NEW.sentiment WHERE "responseId" = NEW.id\073
  UPDATE "ResponseProject" SET "feedbackDate" = NEW."feedbackDate" WHERE "responseId" = NEW.id\073
  RETURN NULL\073
END
';

CREATE TRIGGER response_copies_follow AFTER UPDATE OF "feedbackDate", sentiment ON "Response"
  FOR EACH ROW WHEN (OLD."feedbackDate" IS DISTINCT FROM NEW."feedbackDate" OR OLD.sentiment IS DISTINCT FROM NEW.sentiment)
  EXECUTE FUNCTION feedback_follow_response_columns();

-- rows written before this migration
UPDATE "ResponseTag" rt SET sentiment = r.sentiment FROM "Response" r WHERE r.id = rt."responseId" AND r.sentiment IS NOT NULL;
