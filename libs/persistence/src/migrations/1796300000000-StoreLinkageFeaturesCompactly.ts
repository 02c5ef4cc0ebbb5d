import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Index rows keep their prepared features as the engine's StoredFeatures: the values in a fixed order
 * (libs/linkage stored-features.ts), as `json` text, instead of a named `jsonb` object (about 250 bytes a
 * record against 630 of JSON, and no conversion on the way in or out). Fields that are a cheap function
 * of another are no longer stored; the engine derives them again on reading.
 */
export class StoreLinkageFeaturesCompactly1796300000000 implements MigrationInterface {
  name = 'StoreLinkageFeaturesCompactly1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE linkage_record ALTER COLUMN features TYPE json USING json_build_array(
         features->'id', features->'source', features->'given', features->'givenMeta', features->'middle',
         features->'family', features->'familyMeta', features->'otherFamilies',
         CASE WHEN jsonb_typeof(features->'dob') = 'object'
           THEN jsonb_build_array(features->'dob'->'y', features->'dob'->'m', features->'dob'->'d') END,
         features->'nhs', features->'ni', features->'upn', features->'identifier', features->'postcode',
         features->'uprn', features->'address', features->'locality', features->'email', features->'householdRef',
         features->'sex')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The named form again, its derived fields computed here as the engine does, except the nickname
    // groups (a table in code): empty until the next batch re-link or change of the record.
    await queryRunner.query(
      `ALTER TABLE linkage_record ALTER COLUMN features TYPE jsonb USING jsonb_build_object(
         'id', features->0, 'source', features->1, 'given', features->2, 'givenMeta', features->3,
         'givenGroups', '[]'::jsonb, 'middle', features->4, 'family', features->5,
         'familyCompact', regexp_replace(features->>5, '[\\s-]+', '', 'g'),
         'familyTokens', to_jsonb(array_remove(regexp_split_to_array(features->>5, '[\\s-]+'), '')),
         'familyMeta', features->6, 'otherFamilies', features->7,
         'dob', CASE WHEN json_typeof(features->8) = 'array'
           THEN jsonb_build_object('y', features->8->0, 'm', features->8->1, 'd', features->8->2) END,
         'nhs', features->9, 'ni', features->10, 'upn', features->11, 'identifier', features->12,
         'postcode', features->13,
         'outward', CASE WHEN length(features->>13) >= 5 AND features->>13 !~ '^\\d+$' THEN left(features->>13, -3)
           WHEN features->>13 ~ '^\\d+$' THEN coalesce(nullif(left(features->>13, -1), ''), features->>13)
           ELSE features->>13 END,
         'sector', CASE WHEN length(features->>13) >= 5 AND features->>13 !~ '^\\d+$' THEN left(features->>13, -2)
           WHEN features->>13 ~ '^\\d+$' THEN coalesce(nullif(left(features->>13, -1), ''), features->>13)
           ELSE features->>13 END,
         'uprn', features->14, 'address', features->15,
         'addressNumber', coalesce((regexp_match(features->>15, '"(\\d+[a-z]?)"'))[1], ''),
         'locality', features->16, 'email', features->17, 'emailLocal', split_part(features->>17, '@', 1),
         'householdRef', features->18, 'sex', features->19)`,
    );
  }
}
