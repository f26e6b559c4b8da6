CREATE TABLE `audit_records` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`owner_id` text,
	`data` text NOT NULL,
	`leaf_hash` text NOT NULL,
	`leaf_index` integer,
	`created_at` integer NOT NULL,
	`logged_at` integer
);
--> statement-breakpoint
CREATE INDEX `audit_records_subject` ON `audit_records` (`subject_id`);--> statement-breakpoint
CREATE INDEX `audit_records_unlogged` ON `audit_records` (`leaf_index`,`created_at`);--> statement-breakpoint
CREATE TABLE `blockchain_transactions` (
	`id` text PRIMARY KEY NOT NULL,
	`tree_size` integer NOT NULL,
	`root_hash` text NOT NULL,
	`node_url` text,
	`tx_id` text,
	`status` text NOT NULL,
	`block_height` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`submitted_at` integer,
	`confirmed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blockchain_transactions_tree_size` ON `blockchain_transactions` (`tree_size`);--> statement-breakpoint
CREATE INDEX `blockchain_transactions_tx` ON `blockchain_transactions` (`tx_id`);--> statement-breakpoint
CREATE INDEX `blockchain_transactions_root` ON `blockchain_transactions` (`root_hash`);--> statement-breakpoint
CREATE INDEX `blockchain_transactions_status` ON `blockchain_transactions` (`status`,`created_at`);