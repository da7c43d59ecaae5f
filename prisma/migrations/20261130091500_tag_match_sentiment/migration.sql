-- Written by hand: Prisma cannot express triggers. (The migration runner splits scripts at every
-- semicolon, comments included, so there are none outside the function body, whose semicolons are
-- spelled \073.) A TEXT_MATCH tag's ResponseTag.sentiment is now the sentiment of the text that
-- matched (computed by the application when it tags, see tag-sentiment.ts), so a change of the
-- response's sentiment reaches only MANUAL and SMART assignments, which carry the response's.
-- TEXT_MATCH assignments made before keep the response's sentiment until their tag is re-applied.

CREATE OR REPLACE FUNCTION feedback_follow_response_columns() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "ResponseTag" SET "feedbackDate" = NEW."feedbackDate" WHERE "responseId" = NEW.id AND "feedbackDate" IS DISTINCT FROM NEW."feedbackDate"\073
  UPDATE "ResponseTag" rt SET sentiment = NEW.sentiment FROM "Tag" t
    WHERE rt."responseId" = NEW.id AND t.id = rt."tagId" AND t.mode <> ''TEXT_MATCH'' AND rt.sentiment IS DISTINCT FROM NEW.sentiment\073
  UPDATE "ResponseProject" SET "feedbackDate" = NEW."feedbackDate" WHERE "responseId" = NEW.id\073
  RETURN NULL\073
END
';
