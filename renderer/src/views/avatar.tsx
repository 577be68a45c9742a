// A round badge with a person's (or conversation's) first letter in their colour.
export function Avatar({
  name,
  color,
  size = 'md',
}: {
  name: string
  color?: string
  size?: 'sm' | 'md' | 'lg'
}) {
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?'
  return (
    <span className={`avatar avatar-${size}`} style={{ backgroundColor: color }} aria-hidden="true">
      {initial}
    </span>
  )
}
