"use client";
// The report's screen-only controls. Printing always uses the light palette: a dark page on
// paper would print light text on white (browsers drop backgrounds).
import Link from "next/link";
import { useEffect } from "react";
import { buttonClass, secondaryButtonClass } from "@/components/ui/panel";

export function ReportActions({ planId }: { planId: string }) {
  useEffect(() => {
    const root = document.documentElement;
    let wasDark = false;
    const before = () => {
      wasDark = root.classList.contains("dark");
      root.classList.remove("dark");
    };
    const after = () => {
      if (wasDark) root.classList.add("dark");
    };
    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    return () => {
      window.removeEventListener("beforeprint", before);
      window.removeEventListener("afterprint", after);
    };
  }, []);
  return (
    <div className="flex gap-2 print:hidden">
      <Link href={`/plans/${planId}`} className={secondaryButtonClass}>Back to the plan room</Link>
      <button type="button" className={buttonClass} onClick={() => window.print()}>Print or save as PDF</button>
    </div>
  );
}
