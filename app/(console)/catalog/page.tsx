import { CatalogEditor } from "@/components/plans/catalog-editor";

export default function CatalogPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Release catalog</h1>
      <CatalogEditor />
    </>
  );
}
