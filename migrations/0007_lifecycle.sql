CREATE TABLE `data_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`verification_id` text NOT NULL,
	`object_id` text,
	`wrapped_key` text,
	`master_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`rotated_at` integer,
	`destroyed_at` integer
);
--> statement-breakpoint
CREATE INDEX `data_keys_verification` ON `data_keys` (`verification_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `data_keys_object` ON `data_keys` (`object_id`);--> statement-breakpoint
CREATE INDEX `data_keys_version` ON `data_keys` (`master_version`,`id`);--> statement-breakpoint
CREATE TABLE `retention_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`document_days` integer NOT NULL,
	`recording_days` integer NOT NULL,
	`personal_data_days` integer NOT NULL,
	`abandoned_days` integer NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `verification_lifecycle` (
	`verification_id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`legal_hold_reason` text,
	`legal_hold_by` text,
	`legal_hold_at` integer,
	`documents_purged_at` integer,
	`recordings_purged_at` integer,
	`erased_at` integer,
	`erased_by` text,
	`erasure_basis` text,
	`erasure_reason` text,
	`erasure_reason_key` text,
	`erasure_record_id` text
);
--> statement-breakpoint
CREATE INDEX `verification_lifecycle_tenant` ON `verification_lifecycle` (`tenant_id`,`erased_at`);