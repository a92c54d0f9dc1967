import { ArchivesTable } from "@/components/archives/archives-table";
import { ArchiveUploadPanel } from "@/components/archives/archive-upload-panel";
import { VendorKeysPanel } from "@/components/archives/vendor-keys-panel";

export default function ArchivesPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Archives and vendor keys</h1>
      <div className="grid gap-6 lg:grid-cols-2">
        <VendorKeysPanel />
        <ArchiveUploadPanel />
      </div>
      <ArchivesTable />
    </>
  );
}
