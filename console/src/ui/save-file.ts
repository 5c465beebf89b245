/** Saves a file the API answers under `name` (the key is a header, so a plain link would not do). */
export async function saveFile(blob: Blob | Promise<Blob>, name: string): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
