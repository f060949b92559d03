// The navigation's count of unread notifications, asked for after the page is shown: no page counts them.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("[data-notifications]");
  if (!link) return;
  fetch(link.dataset.notifications, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.unread) return;
      const badge = document.createElement("span");
      badge.className = "nav__count";
      badge.textContent = data.shown;
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = " unread";
      link.append(" ", badge, spoken);
    })
    .catch(() => {});
});
